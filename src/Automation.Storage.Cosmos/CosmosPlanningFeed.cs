using System.Runtime.CompilerServices;
using Automation.Planning;
using Automation.Profiles.Serialization;
using Automation.Storage.Cosmos.Documents;
using Microsoft.Azure.Cosmos;
using NodaTime;

namespace Automation.Storage.Cosmos;

/// <summary>
/// The daily plan's feed on Cosmos DB: the change feed of the <c>profiles</c> container from the
/// beginning, one stream per feed range (named by <see cref="FeedRange.ToJsonString"/>), each profile
/// with its message index. No query per customer.
/// </summary>
public sealed class CosmosPlanningFeed(CosmosContainers containers) : IPlanningFeed
{
    public async Task<IReadOnlyList<string>> GetRangesAsync(CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        var ranges = await containers.Profiles.GetFeedRangesAsync(cancellationToken);
        return ranges.Select(range => range.ToJsonString()).ToList();
    }

    /// <summary>
    /// Recording a decision patches the profile, which moves it to the end of the change feed: a range
    /// still being read would return it again. A profile holding a decision made after the pass began
    /// was planned already and is passed over.
    /// </summary>
    public async IAsyncEnumerable<PlanningCustomer> ReadRangeAsync(string range, Instant passStart, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        await foreach (var document in CosmosFeeds.ReadRangeAsync(containers.Profiles, FeedRange.FromJsonString(range), cancellationToken))
        {
            if (MessageIndex.ReadUnlessDecidedAfter(document, passStart) is not { } history) continue;
            yield return new PlanningCustomer(ProfileJson.Deserialize(document.GetProperty("profile")), history);
        }
    }
}
