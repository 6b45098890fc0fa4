using Automation.Profiles.Changes;
using Automation.Profiles.Merging;
using Automation.Profiles.Model;

namespace Automation.Profiles.Storage;

/// <summary>A transaction line as the store recorded it: enough to tell orders, categories and sources apart.</summary>
public sealed record RecordedLine(string? Line, string? Category, LineSource Source);

/// <summary>
/// The lines a store has recorded, scoped to one customer's partition. Backends implement it with
/// partition-scoped reads; the applier decides what they mean.
/// </summary>
public interface IRecordedLines
{
    /// <summary>All recorded lines of one order of one customer (usually a handful).</summary>
    IReadOnlyList<RecordedLine> LinesOfOrder(string customerId, string transactionId);

    void Record(TransactionLine line);
}

public enum ChangeOutcome
{
    Applied,
    /// <summary>The same line of the same file was applied before (a run resumed after a crash): already counted.</summary>
    Replayed,
    /// <summary>The transaction line was recorded from another file or line: not counted again.</summary>
    Duplicate,
}

/// <summary>
/// The one place that decides whether a change is new. Backends call it inside their atomic unit, so
/// "never double-counted" means the same thing on every store.
/// </summary>
public static class ChangeApplier
{
    public static ChangeOutcome Apply(CustomerProfile profile, ProfileChange change, IRecordedLines recorded)
    {
        if (change is not TransactionLine line)
        {
            ProfileMerger.Apply(profile, change, default);
            return ChangeOutcome.Applied;
        }

        var orderLines = recorded.LinesOfOrder(line.CustomerId, line.TransactionId);
        foreach (var existing in orderLines)
        {
            if (existing.Line == line.Line)
            {
                return existing.Source == line.Source ? ChangeOutcome.Replayed : ChangeOutcome.Duplicate;
            }
        }

        var novelty = new TransactionNovelty(
            IsNewOrder: orderLines.Count == 0,
            IsNewCategoryInOrder: line.Category is not null && !orderLines.Any(l => l.Category == line.Category));
        recorded.Record(line);
        ProfileMerger.Apply(profile, line, novelty);
        return ChangeOutcome.Applied;
    }
}
