using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Automation.Ingestion;

/// <summary>
/// What ingestion tells an operator (docs/operations.md): a span per export, and counts of rows and
/// exports by kind and outcome, recorded once per export from its result. Names of exports and
/// content ids only; never a row's contents.
/// </summary>
public sealed class IngestionTelemetry
{
    public const string Name = "Automation.Ingestion";
    internal static readonly ActivitySource Activities = new(Name);
    private readonly Counter<long> _rows;
    private readonly Counter<long> _files;
    private readonly Histogram<double> _duration;

    public IngestionTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        _rows = meter.CreateCounter<long>("automation.ingestion.rows", "{row}",
            "Rows of exports by kind and outcome: read, accepted, rejected, warned (kept with a field dropped), duplicate.");
        _files = meter.CreateCounter<long>("automation.ingestion.files", "{file}", "Exports by kind and status: completed, failed, skipped.");
        _duration = meter.CreateHistogram<double>("automation.ingestion.duration", "s", "Time to ingest one export, by kind and status.");
    }

    internal void Ingested(FileIngestionResult result, TimeSpan took)
    {
        var kind = new KeyValuePair<string, object?>("kind", result.Kind ?? "unknown");
        var status = new KeyValuePair<string, object?>("status", result.Status.ToString().ToLowerInvariant());
        _files.Add(1, kind, status);
        _duration.Record(took.TotalSeconds, kind, status);
        // A skipped export was counted when it was ingested.
        if (result.Status == FileStatus.Skipped) return;
        Rows(kind, "read", result.RowsRead);
        Rows(kind, "accepted", result.Accepted);
        Rows(kind, "rejected", result.Rejected);
        Rows(kind, "warned", result.Warnings);
        Rows(kind, "duplicate", result.Duplicates);
    }

    private void Rows(KeyValuePair<string, object?> kind, string outcome, long count)
    {
        if (count > 0) _rows.Add(count, kind, new KeyValuePair<string, object?>("outcome", outcome));
    }
}
