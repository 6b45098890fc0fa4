using System.Text;
using Automation.Ingestion.Formats;
using Automation.Ingestion.Validation;

namespace Automation.Ingestion.Reports;

/// <summary>
/// Writes <c>&lt;export&gt;.rejected.csv</c>: one row per rejection or warning with line, severity,
/// field, reason and the raw record, so the data team can fix the export at the source.
/// </summary>
internal sealed class RejectedRowsWriter(Stream stream) : IAsyncDisposable
{
    private readonly CsvTableWriter _writer = new(new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 1 << 16));
    // The reader's rows and the store's warnings (shared addresses) arrive on two tasks.
    private readonly SemaphoreSlim _writing = new(1, 1);
    private bool _headerWritten;

    public async Task WriteAsync(RowIssue issue, string rawRecord)
    {
        await _writing.WaitAsync();
        try
        {
            if (!_headerWritten) await WriteHeaderAsync();
            await _writer.WriteRowAsync(
            [
                issue.Line.ToString(System.Globalization.CultureInfo.InvariantCulture),
                issue.Severity == IssueSeverity.Rejected ? "rejected" : "warning",
                issue.Field,
                issue.Reason,
                rawRecord,
            ]);
        }
        finally
        {
            _writing.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_headerWritten) await WriteHeaderAsync();
        await _writer.DisposeAsync();
        _writing.Dispose();
    }

    private async Task WriteHeaderAsync()
    {
        _headerWritten = true;
        await _writer.WriteRowAsync(["line", "severity", "field", "reason", "raw"]);
    }
}
