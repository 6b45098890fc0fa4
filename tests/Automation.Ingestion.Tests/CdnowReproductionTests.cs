using System.Globalization;
using System.Text;
using Automation.Profiles.Churn;
using Automation.Testing;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Ingestion.Tests;

/// <summary>
/// Ingesting CDNOW's calibration-period transactions and evaluating as of 1997-09-30 reproduces the
/// published per-customer summary (x, t_x, T in weeks) exactly: the profile computes what BG/NBD needs.
/// </summary>
public sealed class CdnowReproductionTests : IDisposable
{
    private static readonly LocalDate CalibrationEnd = new(1997, 9, 30);
    private readonly IngestionHarness _h = new(batchSize: 2_000);

    [SharedDataFact]
    public async Task The_calibration_summary_of_all_2357_customers_is_reproduced_exactly()
    {
        var transactions = _h.Folder.Write("transactions-cdnow.csv", ToTransactionsExport(SharedData.Require("cdnow/CDNOW_sample.txt")));
        var expected = File.ReadLines(SharedData.Require("cdnow/cdnow_customers_summary.csv")).Skip(1)
            .Select(line => line.Split(','))
            .ToDictionary(f => f[0], f => (X: int.Parse(f[1], CultureInfo.InvariantCulture),
                Recency: double.Parse(f[2], CultureInfo.InvariantCulture), T: double.Parse(f[3], CultureInfo.InvariantCulture)));

        var result = await _h.IngestAsync(transactions);

        result.Rejected.Should().Be(0);
        var mismatches = new List<string>();
        var customers = 0;
        await foreach (var profile in _h.Store.ReadAllAsync())
        {
            customers++;
            var inputs = ChurnInputs.AsOf(profile.Purchases, CalibrationEnd)!.Value;
            var want = expected[profile.CustomerId];
            var got = (inputs.X, Recency: ChurnInputs.ToWeeks(inputs.RecencyDays), T: ChurnInputs.ToWeeks(inputs.AgeDays));
            if (got != want) mismatches.Add($"{profile.CustomerId}: expected {want}, got {got}");
        }

        customers.Should().Be(2357);
        mismatches.Should().BeEmpty();
    }

    /// <summary>CDNOW_sample.txt (master id, sample id, YYYYMMDD, CDs, dollars) as our transactions format, calibration rows only.</summary>
    private static string ToTransactionsExport(string samplePath)
    {
        var csv = new StringBuilder("transaction_id,customer_id,occurred_at,amount,currency,quantity\n");
        var row = 0;
        foreach (var line in File.ReadLines(samplePath))
        {
            row++;
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 5) continue;
            var date = LocalDate.FromDateTime(DateTime.ParseExact(f[2], "yyyyMMdd", CultureInfo.InvariantCulture));
            if (date > CalibrationEnd) continue;
            var id = int.Parse(f[1], CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"cdnow-{row},{id},{date:uuuu-MM-dd}T12:00:00Z,{f[4]},USD,{f[3]}\n");
        }

        return csv.ToString();
    }

    public void Dispose() => _h.Dispose();
}
