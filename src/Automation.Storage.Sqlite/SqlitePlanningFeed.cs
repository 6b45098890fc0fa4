using Automation.Planning;
using Automation.Planning.Messages;
using Automation.Profiles.Model;

namespace Automation.Storage.Sqlite;

/// <summary>
/// The embedded store's planning feed: one range, two streams in customer-id order (profiles and
/// message histories) joined as they are read.
/// </summary>
public sealed class SqlitePlanningFeed(SqliteProfileStore profiles, SqliteMessageLog messageLog) : IPlanningFeed
{
    public Task<IReadOnlyList<IAsyncEnumerable<PlanningCustomer>>> GetRangesAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<IAsyncEnumerable<PlanningCustomer>>>([JoinAsync(profiles.ReadAllAsync(cancellationToken), messageLog.ReadHistoriesAsync(cancellationToken))]);

    private static async IAsyncEnumerable<PlanningCustomer> JoinAsync(IAsyncEnumerable<CustomerProfile> profiles, IAsyncEnumerable<CustomerHistory> histories)
    {
        await using var history = histories.GetAsyncEnumerator();
        var hasHistory = await history.MoveNextAsync();
        await foreach (var profile in profiles)
        {
            while (hasHistory && CustomerIdOrder.Compare(history.Current.CustomerId, profile.CustomerId) < 0) hasHistory = await history.MoveNextAsync();
            var entries = hasHistory && history.Current.CustomerId == profile.CustomerId ? history.Current.Entries : [];
            yield return new PlanningCustomer(profile, entries);
        }
    }
}
