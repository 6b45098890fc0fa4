using System.Runtime.CompilerServices;
using Automation.Planning;
using Automation.Profiles.Serialization;
using Automation.Storage.Cosmos.Documents;
using Microsoft.Azure.Cosmos;
using NodaTime;

namespace Automation.Storage.Cosmos;

/// <summary>
/// The daily plan's feed on Cosmos DB: the change feed of the <c>profiles</c> container from the
/// beginning, one stream per feed range, each profile with its message index. No query per customer.
/// </summary>
public sealed class CosmosPlanningFeed(CosmosContainers containers, IClock clock) : IPlanningFeed
{
    public async Task<IReadOnlyList<IAsyncEnumerable<PlanningCustomer>>> GetRangesAsync(CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync();
        var passStart = clock.GetCurrentInstant();
        var ranges = await containers.Profiles.GetFeedRangesAsync(cancellationToken);
        return ranges.Select(range => ReadAsync(range, passStart, cancellationToken)).ToList();
    }

    /// <summary>
    /// Recording a decision patches the profile, which moves it to the end of the change feed: a range
    /// still being read would return it again. A profile holding a decision made after this pass began
    /// was planned already (by this pass or one running beside it) and is passed over.
    /// </summary>
    private async IAsyncEnumerable<PlanningCustomer> ReadAsync(FeedRange range, Instant passStart, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var document in CosmosFeeds.ReadRangeAsync(containers.Profiles, range, cancellationToken))
        {
            if (MessageIndex.ReadUnlessDecidedAfter(document, passStart) is not { } history) continue;
            yield return new PlanningCustomer(ProfileJson.Deserialize(document.GetProperty("profile")), history);
        }
    }
}
