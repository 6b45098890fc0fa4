using NodaTime;

namespace Automation.Profiles.Storage;

/// <summary>A consents export that arrived and is not completely ingested: an opt-out may be in the part not read.</summary>
/// <param name="Reason">Why it is incomplete: still being ingested, or the failure that stopped it.</param>
public sealed record IncompleteConsentsExport(string Name, string ContentId, string Reason, Instant Since)
{
    public string Describe() => $"the consents export {Name} is not completely ingested ({Reason})";

    /// <summary>What a host says when the gate stops a plan or a delivery.</summary>
    public static string Blocking(IReadOnlyList<IncompleteConsentsExport> incomplete, string what) =>
        $"Nothing {what}: {string.Join("; ", incomplete.Select(e => e.Describe()))}. Opt-outs may be in the part not read; ingest the file completely (fix it and drop it again under the same name).";
}

/// <summary>
/// Opt-outs win over keeping to the schedule: while any consents export is incomplete, nothing is planned
/// or delivered. Ingestion marks a consents export incomplete when it starts reading it and complete when
/// it has read every row; a failure leaves the mark, with its reason, until a file of the same name is
/// ingested completely.
/// </summary>
public interface IConsentsGate
{
    Task<IReadOnlyList<IncompleteConsentsExport>> IncompleteAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces the mark for <see cref="IncompleteConsentsExport.Name"/>.</summary>
    Task MarkIncompleteAsync(IncompleteConsentsExport export, CancellationToken cancellationToken = default);

    Task MarkCompleteAsync(string name, CancellationToken cancellationToken = default);
}
