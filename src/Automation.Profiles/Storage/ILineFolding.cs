using NodaTime;

namespace Automation.Profiles.Storage;

/// <summary>
/// Retention of transaction lines (<c>Automation:Retention:TransactionLineMonths</c>). A profile keeps
/// every purchase in its aggregates (purchase days, order counts, spend per currency, categories: what
/// the churn model and the triggers read); the store also keeps each line's identity, which is what
/// makes a re-ingested line a duplicate. Folding drops the identities of old lines and records, per
/// customer, the point they were folded before: from then on a line of that customer older than the
/// point is taken for a replay of a folded one and counted as a duplicate, never counted twice.
/// </summary>
public interface ILineFolding
{
    /// <summary>Folds every line that occurred before <paramref name="before"/>; returns how many.</summary>
    /// <remarks>Lines recorded before the store kept their time (an older version) have none, and are kept.</remarks>
    Task<long> FoldAsync(Instant before, CancellationToken cancellationToken = default);
}
