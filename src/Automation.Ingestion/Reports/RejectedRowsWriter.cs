using System.Text;
using Automation.Ingestion.Validation;

namespace Automation.Ingestion.Reports;

/// <summary>
/// Writes <c>&lt;export&gt;.rejected.csv</c>: one row per rejection or warning with line, severity,
/// field, reason and the raw record, so the data team can fix the export at the source.
/// </summary>
internal sealed class RejectedRowsWriter(Stream stream) : IAsyncDisposable
{
    private readonly StreamWriter _writer = new(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 1 << 16) { NewLine = "\r\n" };
    // The reader's rows and the store's warnings (shared addresses) arrive on two tasks.
    private readonly SemaphoreSlim _writing = new(1, 1);
    private bool _headerWritten;

    public async Task WriteAsync(RowIssue issue, string rawRecord)
    {
        await _writing.WaitAsync();
        try
        {
            if (!_headerWritten) await WriteHeaderAsync();
            await _writer.WriteLineAsync(string.Join(',',
                issue.Line.ToString(System.Globalization.CultureInfo.InvariantCulture),
                issue.Severity == IssueSeverity.Rejected ? "rejected" : "warning",
                Quote(issue.Field),
                Quote(issue.Reason),
                Quote(rawRecord)));
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
        await _writer.WriteLineAsync("line,severity,field,reason,raw");
    }

    internal static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
