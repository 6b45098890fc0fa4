using System.Diagnostics;
using System.Globalization;
using Automation.Ingestion;
using Automation.Profiles.Changes;
using Automation.Profiles.Model;
using Automation.Profiles.Storage;
using Automation.Storage.Sqlite;
using Automation.SyntheticData;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// Usage:
//   ingestion: [--rows 1000000[,4000000]] [--customers 100000] [--work DIR] [--parse-only]
//     For each row count: generates transactions (reused when present), then ingests them into a fresh
//     store in a child process, so the peak working set measured is the ingestion's alone.
//   planning:  --plan [--customers 250000,1000000] [--transactions-per-customer 3] [--repeat 1] [--work DIR] [--churn-model]
//     --churn-model: each run first fits and saves the churn model on its copy (timed apart), so the
//     churn trigger plans with BG/NBD instead of the interval rule.
//     Generates and ingests the profiles once per size, then plans one day on a fresh copy in a child process.
//   report:    --report [--customers 1000000] [--transactions-per-customer 5] [--messages-per-customer 10] [--repeat 1] [--work DIR]
//     Generates and ingests the profiles and records the decisions once per size, then builds the
//     outcome report over them in a child process.
//   churn:     --churn [--customers 1000000] [--repeat 3] [--cdnow PATH]
//     BG/NBD fit time on CDNOW after warm-up, and on simulated customers.
if (args.Length > 0 && args[0] == "child") return await Child(args[1], args[2], args.Contains("--parse-only"));
if (args.Length > 0 && args[0] == "plan-child") return await PlanningBenchmark.ChildAsync(args[1], args[2], args[3] == "churn-model");
if (args.Length > 0 && args[0] == "report-child") return await ReportBenchmark.ChildAsync(args[1]);
if (args.Contains("--report"))
{
    return await ReportBenchmark.RunAsync(
        Path.GetFullPath(Arg("--work", Path.Combine(Path.GetTempPath(), "automation-bench"))),
        Arg("--customers", "1000000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(),
        int.Parse(Arg("--transactions-per-customer", "5"), CultureInfo.InvariantCulture),
        int.Parse(Arg("--messages-per-customer", "10"), CultureInfo.InvariantCulture),
        int.Parse(Arg("--repeat", "1"), CultureInfo.InvariantCulture));
}

if (args.Contains("--churn"))
{
    return await ChurnBenchmark.RunAsync(
        Arg("--cdnow", Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "..", "shared", "data", "cdnow", "cdnow_customers_summary_with_transactions.csv")),
        Arg("--customers", "1000000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(),
        int.Parse(Arg("--repeat", "3"), CultureInfo.InvariantCulture));
}

if (args.Contains("--plan"))
{
    return await PlanningBenchmark.RunAsync(
        Path.GetFullPath(Arg("--work", Path.Combine(Path.GetTempPath(), "automation-bench"))),
        Arg("--customers", "250000,1000000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(),
        int.Parse(Arg("--transactions-per-customer", "3"), CultureInfo.InvariantCulture),
        int.Parse(Arg("--repeat", "1"), CultureInfo.InvariantCulture),
        args.Contains("--churn-model"));
}

var rowCounts = Arg("--rows", "1000000").Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
var customers = int.Parse(Arg("--customers", "100000"), CultureInfo.InvariantCulture);
var work = Path.GetFullPath(Arg("--work", Path.Combine(Path.GetTempPath(), "automation-bench")));
var parseOnly = args.Contains("--parse-only");

Console.WriteLine($"{"rows",12} {"customers",10} {"file MB",8} {"seconds",8} {"rows/s",10} {"peak WS MB",11} {"WS samples MB (min..max)",26}");
foreach (var rows in rowCounts)
{
    var folder = Path.Combine(work, $"{rows}-{customers}");
    var transactions = Path.Combine(folder, "transactions.csv");
    if (!File.Exists(transactions))
    {
        var files = await ExportGenerator.WriteAsync(new GeneratorSettings(customers, rows, Seed: 42), folder);
        File.Delete(files.Customers);
        File.Delete(files.Consents);
    }

    var store = Path.Combine(folder, "store");
    if (Directory.Exists(store)) Directory.Delete(store, recursive: true);
    var child = Process.Start(new ProcessStartInfo(Environment.ProcessPath!)
    {
        ArgumentList = { "child", transactions, store, parseOnly ? "--parse-only" : "" },
        RedirectStandardOutput = true,
    })!;
    long minSample = long.MaxValue, maxSample = 0;
    while (!child.HasExited)
    {
        await Task.Delay(200);
        try
        {
            child.Refresh();
            var ws = child.WorkingSet64;
            if (ws > 0 && !child.HasExited)
            {
                minSample = Math.Min(minSample, ws);
                maxSample = Math.Max(maxSample, ws);
            }
        }
        catch (InvalidOperationException)
        {
            break;
        }
    }

    var output = (await child.StandardOutput.ReadToEndAsync()).Split(' ');
    var (seconds, peak) = (double.Parse(output[0], CultureInfo.InvariantCulture), long.Parse(output[1], CultureInfo.InvariantCulture));
    Console.WriteLine(
        $"{rows,12:N0} {customers,10:N0} {new FileInfo(transactions).Length / 1e6,8:N0} {seconds,8:N2} {rows / seconds,10:N0} {peak / 1e6,11:N0} {$"{minSample / 1e6:N0}..{maxSample / 1e6:N0}",26}");
}

return 0;

string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

static async Task<int> Child(string file, string storeFolder, bool parseOnly)
{
    var configuration = new ConfigurationBuilder()
        .AddEnvironmentVariables()
        .AddInMemoryCollection([new("Automation:Storage:Sqlite:DataDirectory", storeFolder)])
        .Build();
    var services = new ServiceCollection().AddLogging().AddAutomationIngestion(configuration).AddSqliteStore(configuration);
    if (parseOnly) services.AddSingleton<ICustomerProfileStore, CountingStore>();
    await using var provider = services.BuildServiceProvider();
    var ingestion = provider.GetRequiredService<IngestionService>();
    using var sampler = Environment.GetEnvironmentVariable("BENCH_MEMORY_TRACE") is null ? null : new Timer(_ =>
    {
        using var p = Process.GetCurrentProcess();
        Console.Error.Write(string.Create(CultureInfo.InvariantCulture,
            $"[rss {p.WorkingSet64 / 1e6:N0} gc {GC.GetGCMemoryInfo().TotalCommittedBytes / 1e6:N0} sqlite {SQLitePCL.raw.sqlite3_memory_used() / 1e6:N0}] "));
    }, null, 2000, 1000);
    var stopwatch = Stopwatch.StartNew();
    var result = await ingestion.IngestAsync(new LocalExportFile(file));
    stopwatch.Stop();
    if (result.Status != FileStatus.Completed || result.Rejected > 0) throw new InvalidOperationException($"Unexpected result {result}");
    using var self = Process.GetCurrentProcess();
    var gc = GC.GetGCMemoryInfo(GCKind.Any);
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  gc: heap {gc.HeapSizeBytes / 1e6:N0} MB, committed {gc.TotalCommittedBytes / 1e6:N0} MB, allocated {GC.GetTotalAllocatedBytes() / 1e9:N1} GB, collections {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}; sqlite: peak {SQLitePCL.raw.sqlite3_memory_highwater(0) / 1e6:N0} MB"));
    Console.Write(string.Create(CultureInfo.InvariantCulture, $"{stopwatch.Elapsed.TotalSeconds} {self.PeakWorkingSet64}"));
    return 0;
}

/// <summary>Accepts every change without storing it: isolates reading and validation cost.</summary>
internal sealed class CountingStore : ICustomerProfileStore, IProfileWriter
{
    public Task<CustomerProfile?> GetAsync(string customerId, CancellationToken cancellationToken = default) => Task.FromResult<CustomerProfile?>(null);

    public IAsyncEnumerable<CustomerProfile> ReadAllAsync(CancellationToken cancellationToken = default) => AsyncEnumerable.Empty<CustomerProfile>();

    public Task<IProfileWriter> OpenWriterAsync(CancellationToken cancellationToken = default) => Task.FromResult<IProfileWriter>(this);

    private int _sinceCommit;

    public Task ApplyAsync(IReadOnlyList<ProfileChange> changes, CancellationToken cancellationToken = default)
    {
        _sinceCommit += changes.Count;
        return Task.CompletedTask;
    }

    public Task<ApplyResult> CommitAsync(CancellationToken cancellationToken = default)
    {
        var committed = new ApplyResult(_sinceCommit, 0);
        _sinceCommit = 0;
        return Task.FromResult(committed);
    }

    public WriterFindings TakeFindings() => new([], []);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
