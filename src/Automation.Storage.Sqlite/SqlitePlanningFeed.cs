using Automation.Planning;
using Automation.Messages;
using Automation.Profiles.Model;
using NodaTime;

namespace Automation.Storage.Sqlite;

/// <summary>
/// The embedded store's planning feed: one range, two streams in customer-id order (profiles and
/// message histories) joined as they are read. One writer at a time makes the pass start moot here:
/// the message log's create-if-absent writes already make a second pass add nothing.
/// </summary>
public sealed class SqlitePlanningFeed(SqliteProfileStore profiles, SqliteMessageLog messageLog) : IPlanningFeed
{
    public const string OnlyRange = "all";

    public Task<IReadOnlyList<string>> GetRangesAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<string>>([OnlyRange]);

    public IAsyncEnumerable<PlanningCustomer> ReadRangeAsync(string range, Instant passStart, CancellationToken cancellationToken = default) =>
        range == OnlyRange
            ? JoinAsync(profiles.ReadAllAsync(cancellationToken), messageLog.ReadHistoriesAsync(cancellationToken))
            : throw new ArgumentException($"The embedded store has one planning range, '{OnlyRange}', not '{range}'.", nameof(range));

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
