using Automation.Churn.GammaGamma;
using Automation.Churn.Summaries;
using Automation.Testing;

namespace Automation.Churn.Tests;

/// <summary>The CDNOW calibration summaries in ../shared/data/cdnow (Fader, Hardie &amp; Lee 2005).</summary>
internal static class Cdnow
{
    public static string SummaryPath => SharedData.Require("cdnow/cdnow_customers_summary.csv");
    public static string WithSpendPath => SharedData.Require("cdnow/cdnow_customers_summary_with_transactions.csv");

    public static async Task<List<SummaryRow>> ReadAsync(string path)
    {
        var rows = new List<SummaryRow>();
        await foreach (var line in SummaryFile.ReadAsync(path))
        {
            rows.Add(line as SummaryRow ?? throw new InvalidOperationException($"CDNOW has a bad line: {line}"));
        }

        return rows;
    }

    public static async Task<RfmSample> SampleAsync()
    {
        var sample = new RfmSample();
        foreach (var row in await ReadAsync(SummaryPath)) sample.Add(row.Summary);
        return sample;
    }

    public static async Task<SpendSample> SpendAsync()
    {
        var sample = new SpendSample();
        foreach (var row in await ReadAsync(WithSpendPath))
        {
            if (row.MonetaryValue is { } spend) sample.Add(row.Summary.Frequency, spend);
        }

        return sample;
    }
}
