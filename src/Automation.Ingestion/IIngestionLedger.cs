using Automation.Ingestion.Formats;
using NodaTime;

namespace Automation.Ingestion;

/// <summary>Remembers which export contents were ingested completely, keyed by content id.</summary>
public interface IIngestionLedger
{
    Task<IngestedFile?> FindAsync(string contentId, CancellationToken cancellationToken = default);

    Task RecordAsync(IngestedFile file, CancellationToken cancellationToken = default);
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
