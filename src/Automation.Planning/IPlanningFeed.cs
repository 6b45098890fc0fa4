using Automation.Planning.Messages;
using Automation.Profiles.Model;

namespace Automation.Planning;

/// <summary>A customer as the daily plan sees them: the profile and what was already decided for them.</summary>
public sealed record PlanningCustomer(CustomerProfile Profile, IReadOnlyList<MessageHistoryEntry> History);

/// <summary>
/// How the daily plan reads every customer exactly once, never with a query per customer. A backend
/// splits its customers into ranges (the embedded store: one; Cosmos DB: one per change-feed range),
/// and the plan reads the ranges in parallel.
/// </summary>
public interface IPlanningFeed
{
    Task<IReadOnlyList<IAsyncEnumerable<PlanningCustomer>>> GetRangesAsync(CancellationToken cancellationToken = default);
}
