using System.Globalization;
using CsvHelper;

namespace Automation.Ingestion.Formats;

/// <summary>
/// Every CSV the product writes (reports next to an export, generated exports) goes through here:
/// CsvHelper's quoting, and no cell that a spreadsheet would run. A cell beginning with <c>=</c>,
/// <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return is prefixed with <c>'</c> (OWASP's rule against
/// CSV injection), unless the whole cell is a plain number such as a refund's <c>-12.50</c>.
/// </summary>
public sealed class CsvTableWriter : IAsyncDisposable, IDisposable
{
    private const string FormulaStarts = "=+-@\t\r";
    private readonly CsvWriter _csv;

    /// <param name="newLine">Reports use CRLF, which spreadsheets expect; generated exports LF.</param>
    public CsvTableWriter(TextWriter writer, string newLine = "\r\n")
    {
        // Injection is handled here rather than by CsvHelper, which sees every cell as text: a refund's
        // -12.50 must stay a number.
        _csv = CsvWriter.Create(writer, new CsvWriterOptions { NewLine = newLine, Injection = CsvInjection.None }, leaveOpen: false);
    }

    public void WriteRow(IEnumerable<string> cells)
    {
        foreach (var cell in cells) _csv.WriteField(SpreadsheetSafe(cell));
        _csv.EndRecord();
    }

    public async Task WriteRowAsync(IEnumerable<string> cells)
    {
        foreach (var cell in cells) _csv.WriteField(SpreadsheetSafe(cell));
        await _csv.EndRecordAsync();
    }

    public async Task FlushAsync() => await _csv.FlushAsync();

    /// <summary>The cell as a spreadsheet may open it: a would-be formula becomes text.</summary>
    public static string SpreadsheetSafe(string cell)
    {
        if (cell.Length == 0 || FormulaStarts.IndexOf(cell[0]) < 0) return cell;
        return decimal.TryParse(cell, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _) ? cell : "'" + cell;
    }

    public ValueTask DisposeAsync() => _csv.DisposeAsync();

    public void Dispose() => _csv.Dispose();
}
