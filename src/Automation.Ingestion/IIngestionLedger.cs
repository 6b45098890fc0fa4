using Automation.Ingestion.Formats;
using NodaTime;

namespace Automation.Ingestion;

/// <summary>Remembers which export contents were ingested completely, keyed by content id.</summary>
public interface IIngestionLedger
{
    Task<IngestedFile?> FindAsync(string contentId, CancellationToken cancellationToken = default);

    Task RecordAsync(IngestedFile file, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims the ingestion of a content until <paramref name="until"/>: true when the claim is
    /// <paramref name="claimant"/>'s now (it was free, had lapsed before <paramref name="now"/>, or was
    /// its own, which this renews), false while another run holds it. A run that died lets its claim lapse.
    /// </summary>
    Task<bool> TryClaimAsync(string contentId, string claimant, Instant now, Instant until, CancellationToken cancellationToken = default);

    /// <summary>Gives a claim up, if it is still <paramref name="claimant"/>'s.</summary>
    Task ReleaseAsync(string contentId, string claimant, CancellationToken cancellationToken = default);
}

public sealed record IngestedFile(
    string ContentId,
    string Name,
    ExportKind Kind,
    long RowsRead,
    long Accepted,
    long Rejected,
    long Warnings,
    long Duplicates,
    Instant CompletedAt);
