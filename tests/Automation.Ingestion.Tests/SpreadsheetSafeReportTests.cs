using Automation.Ingestion.Formats;
using FluentAssertions;
using Xunit;

namespace Automation.Ingestion.Tests;

/// <summary>Reports are opened in spreadsheets: no cell of one may run as a formula (OWASP, CSV injection).</summary>
public sealed class SpreadsheetSafeReportTests : IDisposable
{
    private readonly IngestionHarness _h = new();

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example\",\"x\")", "'=HYPERLINK(\"http://evil.example\",\"x\")")]
    [InlineData("@SUM(A1:A9)", "'@SUM(A1:A9)")]
    [InlineData("+1+cmd", "'+1+cmd")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("\rcmd", "'\rcmd")]
    [InlineData("-12.50", "-12.50")]
    [InlineData("+3", "+3")]
    [InlineData("Ada", "Ada")]
    [InlineData("", "")]
    public void A_cell_that_would_run_as_a_formula_is_text_and_a_plain_number_stays_a_number(string cell, string written)
    {
        CsvTableWriter.SpreadsheetSafe(cell).Should().Be(written);
    }

    [Fact]
    public async Task The_rejected_rows_report_repeats_no_formula_from_the_export()
    {
        var path = _h.Folder.Write("customers.csv",
            "customer_id,email,birth_date,time_zone,locale,country,latitude,longitude,email_opt_in,updated_at\n" +
            "=HYPERLINK(\"http://evil.example\"),not-an-email,1990-05-01,Europe/Rome,it-IT,IT,41.9,12.5,true,2024-01-01T00:00:00Z\n" +
            "C2,c2@example.com,1990-05-01,@SUM(1+1),it-IT,IT,41.9,12.5,true,2024-01-01T00:00:00Z\n");

        await _h.IngestAsync(path);

        var rows = _h.RejectedRows(path);
        rows.Should().HaveCount(2);
        rows.SelectMany(row => row).Should().NotContain(cell => cell.Length > 0 && "=+-@\t\r".Contains(cell[0]),
            "every cell a spreadsheet would evaluate is written as text");
        rows[0][4].Should().Be("'=HYPERLINK(\"http://evil.example\"),not-an-email,1990-05-01,Europe/Rome,it-IT,IT,41.9,12.5,true,2024-01-01T00:00:00Z",
            "the raw record is kept whole, only made inert");
    }

    public void Dispose() => _h.Dispose();
}
