using Automation.Messages;
using Automation.Profiles.Model;
using NodaTime;

namespace Automation.Planning;

/// <summary>A customer as the daily plan sees them: the profile and what was already decided for them.</summary>
public sealed record PlanningCustomer(CustomerProfile Profile, IReadOnlyList<MessageHistoryEntry> History);

/// <summary>
/// How the daily plan reads every customer exactly once, never with a query per customer. A backend
/// splits its customers into ranges (the embedded store: one; Cosmos DB: one per change-feed range),
/// named by text so that a range can travel in a queue message to another worker.
/// </summary>
public interface IPlanningFeed
{
    Task<IReadOnlyList<string>> GetRangesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The customers of one range. A customer holding a decision made at or after
    /// <paramref name="passStart"/> was planned by this pass already (or by one running beside it) and
    /// may be passed over; that is what lets a retried range skip the work it finished.
    /// </summary>
    IAsyncEnumerable<PlanningCustomer> ReadRangeAsync(string range, Instant passStart, CancellationToken cancellationToken = default);
}
