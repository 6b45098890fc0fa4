using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Automation.Ingestion;
using Automation.Testing;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Xunit;
using Xunit.Abstractions;

namespace Automation.Functions.Tests;

/// <summary>
/// A gzip export of hundreds of megabytes through IngestExport from real blob storage: the blob is
/// streamed twice (content id, then rows) and never held whole, so the process's peak working set
/// does not grow with the file.
/// </summary>
[Collection(OneAtATime.Name)]
[Trait(Peers.Trait, Peers.Value)]
public sealed class LargeExportTests(ITestOutputHelper output) : IDisposable
{
    private const long Megabyte = 1024 * 1024;
    private const int Customers = 2_000;
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 20, 5, 30);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_gzip_export_of_200_MB_streams_in_the_same_memory_as_one_of_50_MB()
    {
        await using var host = await FunctionsTestHost.StartAsync(await TestStores.SqliteAsync(_folder), Now);

        var small = await IngestAsync(host, "transactions-small.csv.gz", 50 * Megabyte, firstRow: 0);
        var large = await IngestAsync(host, "transactions-large.csv.gz", 200 * Megabyte, firstRow: small.Rows);

        large.Rows.Should().BeGreaterThan(3 * small.Rows);
        output.WriteLine($"peak working set: {small.PeakMb:F0} MB for {small.FileMb:F0} MB gzip ({small.Rows:N0} rows), {large.PeakMb:F0} MB for {large.FileMb:F0} MB gzip ({large.Rows:N0} rows)");
        large.PeakMb.Should().BeLessThan(small.PeakMb + 64, "memory must not grow with the file: four times the rows may cost at most a little more");
    }

    private async Task<(long Rows, double FileMb, double PeakMb)> IngestAsync(FunctionsTestHost host, string name, long gzipBytes, long firstRow)
    {
        var path = _folder.File(name);
        var rows = await WriteExportAsync(path, gzipBytes, firstRow);
        await using (var file = File.OpenRead(path))
        {
            await host.Exports.GetBlobClient(name).UploadAsync(file);
        }

        File.Delete(path);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var peak = 0L;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var process = Process.GetCurrentProcess();
            while (!sampling.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(50);
            }
        });
        var watch = Stopwatch.StartNew();
        await host.FireBlobTriggerAsync(name);
        watch.Stop();
        await sampling.CancelAsync();
        await sampler;

        var report = host.Exports.GetBlobClient(name + ReportNames.SummarySuffix);
        (await report.ExistsAsync()).Value.Should().BeTrue();
        using var summary = JsonDocument.Parse((await report.DownloadContentAsync()).Value.Content.ToString());
        summary.RootElement.GetProperty("status").GetString().Should().Be("completed", summary.RootElement.ToString());
        summary.RootElement.GetProperty("accepted").GetInt64().Should().Be(rows);
        var fileMb = (double)gzipBytes / Megabyte;
        output.WriteLine($"{name}: {rows:N0} rows in {watch.Elapsed.TotalSeconds:F1} s ({rows / watch.Elapsed.TotalSeconds:N0} rows/s), peak working set {peak / (double)Megabyte:F0} MB");
        return (rows, fileMb, peak / (double)Megabyte);
    }

    /// <summary>
    /// Transaction rows for a fixed set of customers over one year, so that the profiles stay the same
    /// size however long the file is; each row carries a column of random text the format ignores, so
    /// the gzip file is large for its number of rows. Writes until the compressed file reaches
    /// <paramref name="gzipBytes"/>; returns the number of rows.
    /// </summary>
    private static async Task<long> WriteExportAsync(string path, long gzipBytes, long firstRow)
    {
        var random = new Random(42);
        var noise = new byte[120];
        await using var file = File.Create(path);
        await using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        await using var writer = new StreamWriter(gzip, new UTF8Encoding(false), 1 << 16);
        await writer.WriteLineAsync("transaction_id,line,customer_id,occurred_at,amount,currency,quantity,sku,product_name,category,channel,store_id,basket_token");
        var row = firstRow;
        var start = new LocalDate(2025, 1, 1);
        while (file.Length < gzipBytes)
        {
            for (var i = 0; i < 1_000; i++, row++)
            {
                random.NextBytes(noise);
                var day = start.PlusDays((int)(row % 365));
                await writer.WriteLineAsync(
                    $"T{row:D10},1,C{row % Customers:D7},{day:yyyy-MM-dd}T10:00:00Z,{12 + row % 50}.50,EUR,1,SKU-{row % 100},Synthetic item,skincare,web,S1,{Convert.ToBase64String(noise)}");
            }
        }

        return row - firstRow;
    }
}
