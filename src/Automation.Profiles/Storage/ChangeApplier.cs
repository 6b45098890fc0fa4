using Automation.Profiles.Changes;
using Automation.Profiles.Merging;
using Automation.Profiles.Model;

namespace Automation.Profiles.Storage;

/// <summary>
/// The transaction lines a store has recorded, each in its customer's partition. Recording is
/// create-if-absent, the operation every backend does cheaply and atomically.
/// </summary>
public interface IRecordedLines
{
    /// <summary>
    /// Records the line unless a line with the same identity (customer, transaction id, line) is
    /// recorded already. When it records, it says whether any other line of the same order was
    /// recorded before (<see cref="TransactionNovelty.IsNewOrder"/>) and whether any other line of the
    /// order had the same category (<see cref="TransactionNovelty.IsNewCategoryInOrder"/>); when the
    /// line exists, it returns <c>null</c> and records nothing.
    /// </summary>
    TransactionNovelty? TryRecord(TransactionLine line);

    /// <summary>The source (file and line) that recorded an existing line.</summary>
    LineSource SourceOf(string customerId, string transactionId, string? line);

    /// <summary>The line is older than the point its customer's lines were folded before (<see cref="ILineFolding"/>).</summary>
    bool IsFolded(TransactionLine line);
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
/// "never double-counted" means the same thing on every store. Deciding needs the store (it records
/// transaction lines); merging is pure, so a backend may merge on another thread, in order.
/// </summary>
public static class ChangeApplier
{
    /// <summary>Decides what a change is and records a new transaction line; changes no profile.</summary>
    public static (ChangeOutcome Outcome, TransactionNovelty Novelty) Classify(ProfileChange change, IRecordedLines recorded)
    {
        if (change is not TransactionLine line) return (ChangeOutcome.Applied, default);
        // Its identity may have been folded away: the aggregates counted it, so it is not counted again.
        if (recorded.IsFolded(line)) return (ChangeOutcome.Duplicate, default);
        if (recorded.TryRecord(line) is { } novelty) return (ChangeOutcome.Applied, novelty);
        var outcome = recorded.SourceOf(line.CustomerId, line.TransactionId, line.Line) == line.Source
            ? ChangeOutcome.Replayed
            : ChangeOutcome.Duplicate;
        return (outcome, default);
    }

    /// <summary>Merges a change that <see cref="Classify"/> found to be <see cref="ChangeOutcome.Applied"/>.</summary>
    public static void Merge(CustomerProfile profile, ProfileChange change, TransactionNovelty novelty) =>
        ProfileMerger.Apply(profile, change, novelty);
}
