namespace Automation.Ingestion.Formats;

/// <summary>Streams the rows of one export, one at a time, in file order.</summary>
public interface IExportRowReader : IAsyncDisposable
{
    ExportKind Kind { get; }

    /// <summary>"csv" or "jsonl", with "+gzip" when compressed.</summary>
    string Format { get; }

    /// <summary>The current row; valid until the next <see cref="ReadAsync"/>.</summary>
    ExportRow Current { get; }

    ValueTask<bool> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Records skipped as malformed since the last call, in file order.</summary>
    IReadOnlyList<MalformedRow> TakeMalformed();
}
