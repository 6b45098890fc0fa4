using System.Diagnostics;
using Automation.Churn;
using Automation.Churn.BgNbd;
using Automation.Churn.GammaGamma;
using Automation.Churn.Summaries;
using Automation.SyntheticData;

/// <summary>
/// BG/NBD fit time: on CDNOW (2,357 customers) after warm-up, and on simulated customers drawn from the
/// CDNOW parameters, with continuous times (no two customers alike: the worst case) and with whole-day
/// times as profiles keep them. Reports wall time, CPU time over wall time (cores used), iterations.
/// </summary>
internal static class ChurnBenchmark
{
    public static async Task<int> RunAsync(string cdnowSummary, int[] sizes, int repeat)
    {
        var cdnow = new RfmSample();
        var spend = new SpendSample();
        await foreach (var line in SummaryFile.ReadAsync(cdnowSummary))
        {
            if (line is not SummaryRow row) throw new InvalidDataException(line.ToString());
            cdnow.Add(row.Summary);
            if (row.MonetaryValue is { } mean) spend.Add(row.Summary.Frequency, mean);
        }

        for (var i = 0; i < 5; i++) BgNbdFitter.Fit(cdnow);
        Console.WriteLine($"{"data",-34} {"customers",10} {"distinct",10} {"fit ms (min / median)",22} {"CPU/wall",9} {"iterations",10}");
        Report("CDNOW BG/NBD", cdnow, Math.Max(repeat, 20), () => BgNbdFitter.Fit(cdnow).Iterations);
        if (spend.Customers > 0)
        {
            for (var i = 0; i < 5; i++) GammaGammaFitter.Fit(spend);
            Report("CDNOW Gamma-Gamma (repeat customers)", null, Math.Max(repeat, 20), () => GammaGammaFitter.Fit(spend).Iterations, spend.Customers);
        }

        foreach (var size in sizes)
        {
            foreach (var wholeDays in new[] { false, true })
            {
                var build = Stopwatch.StartNew();
                var sample = new RfmSample();
                foreach (var c in BuyTillYouDieCustomers.Simulate(BuyTillYouDieTruth.Cdnow, size, (1, 104), seed: 42, wholeDays))
                {
                    sample.Add(new RfmSummary(c.Frequency, c.Recency, c.Age));
                }

                Console.WriteLine($"  (simulating and collecting {size:N0} customers took {build.Elapsed.TotalSeconds:N1} s, not counted below)");
                BgNbdFitter.Fit(sample);
                Report($"simulated, {(wholeDays ? "whole days" : "continuous times")} BG/NBD", sample, repeat, () => BgNbdFitter.Fit(sample).Iterations);
            }
        }

        return 0;
    }

    private static void Report(string name, RfmSample? sample, int repeat, Func<int> fit, long? customers = null)
    {
        var times = new List<double>();
        var iterations = 0;
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < repeat; i++)
        {
            var watch = Stopwatch.StartNew();
            iterations = fit();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        process.Refresh();
        var cpuRatio = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / wall.Elapsed.TotalMilliseconds;
        times.Sort();
        Console.WriteLine(
            $"{name,-34} {sample?.Customers ?? customers,10:N0} {(sample is null ? "-" : sample.DistinctRows.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)),10} {$"{times[0]:N1} / {times[times.Count / 2]:N1}",22} {cpuRatio,9:N2} {iterations,10}");
    }
}
