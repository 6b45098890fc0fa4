using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Automation.Churn.Training;
using Automation.ContextSources;
using Automation.Ingestion;
using Automation.Personalization;
using Automation.Planning;
using Automation.Storage.Sqlite;
using Automation.SyntheticData;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

/// <summary>
/// Planning over N generated profiles in the embedded store: the exports are generated and ingested
/// once per size (not measured), then each measured run plans one day on a fresh copy of that store
/// in a child process, recording its decisions, with every trigger enabled.
/// </summary>
internal static class PlanningBenchmark
{
    private static readonly LocalDate Day = new(2026, 11, 22);

    public static async Task<int> RunAsync(string work, int[] customerCounts, int transactionsPerCustomer, int repeat, bool withChurnModel)
    {
        Console.WriteLine($"{"customers",10} {"seconds",8} {"customers/s",12} {"planned",9} {"held out",9} {"suppressed",11} {"peak WS MB",11}");
        foreach (var customers in customerCounts)
        {
            var folder = Path.Combine(work, $"plan-{customers}");
            var prepared = Path.Combine(folder, "store");
            if (!File.Exists(Path.Combine(prepared, "ready")))
            {
                await PrepareAsync(folder, prepared, customers, (long)customers * transactionsPerCustomer);
            }

            for (var run = 0; run < repeat; run++)
            {
                var store = Path.Combine(folder, "run-store");
                if (Directory.Exists(store)) Directory.Delete(store, recursive: true);
                Directory.CreateDirectory(store);
                foreach (var file in Directory.GetFiles(prepared, "automation.db*")) File.Copy(file, Path.Combine(store, Path.GetFileName(file)));

                var child = Process.Start(new ProcessStartInfo(Environment.ProcessPath!)
                {
                    ArgumentList = { "plan-child", store, Pollen(folder), withChurnModel ? "churn-model" : "interval-rule" },
                    RedirectStandardOutput = true,
                })!;
                await child.WaitForExitAsync();
                var output = JsonDocument.Parse(await child.StandardOutput.ReadToEndAsync()).RootElement;
                var seconds = output.GetProperty("seconds").GetDouble();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{customers,10:N0} {seconds,8:N2} {output.GetProperty("customers").GetInt64() / seconds,12:N0} {output.GetProperty("planned").GetInt64(),9:N0} {output.GetProperty("heldOut").GetInt64(),9:N0} {output.GetProperty("suppressed").GetInt64(),11:N0} {output.GetProperty("peak").GetInt64() / 1e6,11:N0}"));
            }
        }

        return 0;
    }

    public static async Task<int> ChildAsync(string store, string pollenFile, bool withChurnModel)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Automation:Storage:Sqlite:DataDirectory"] = store,
            ["Automation:Triggers:Birthday:HoldoutPercent"] = "10",
            ["Automation:Triggers:ChurnRisk:HoldoutPercent"] = "10",
            ["Automation:Triggers:Pollen:Enabled"] = "true",
            ["Automation:Triggers:Pollen:HoldoutPercent"] = "10",
            ["Automation:Pollen:ForecastFile"] = pollenFile,
            ["Automation:Policies:DefaultTimeZone"] = "Europe/Rome",
            ["Automation:Personalization:TemplatesDirectory"] = Path.Combine(RepositoryRoot(), "samples", "templates"),
            ["Automation:Personalization:PublicBaseUrl"] = "https://shop.example.com/automation",
            // A synthetic key (the text "synthetic benchmark link key 001"): the links in mail are signed, as in production.
            ["Automation:Personalization:LinkKeys:0"] = "c3ludGhldGljIGJlbmNobWFyayBsaW5rIGtleSAwMDE=",
            ["Automation:Personalization:FromAddress"] = "news@shop.example.com",
        }).AddEnvironmentVariables().Build();
        await using var services = new ServiceCollection()
            .AddSingleton<IClock>(new FixedClock(Instant.FromUtc(2026, 11, 22, 5, 0)))
            .AddAutomationContext(configuration)
            .AddSqliteStore(configuration)
            .AddAutomationPlanning(configuration)
            .AddAutomationPersonalization(configuration)
            .BuildServiceProvider();
        _ = services.GetRequiredService<MessageRenderer>().Catalog;
        var planning = services.GetRequiredService<PlanningService>();
        if (withChurnModel)
        {
            // Not part of the plan's time: the fit runs on its own schedule. Reported for what it costs over a store.
            var fitWatch = Stopwatch.StartNew();
            var model = await services.GetRequiredService<ChurnModelTrainer>().FitAndSaveAsync(Day);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  churn model fitted over the store in {fitWatch.Elapsed.TotalSeconds:N1} s: {model.Purchases.Customers:N0} customers, {model.Purchases.Parameters}"));
        }

        var stopwatch = Stopwatch.StartNew();
        var summary = await planning.PlanAsync(Day, dryRun: false);
        stopwatch.Stop();
        using var self = Process.GetCurrentProcess();
        Console.Error.WriteLine("  suppressed: " + string.Join(", ", summary.Suppressed.Select(s => $"{s.Key} {s.Value:N0}")) + "; by trigger: " + string.Join(", ", summary.ByTrigger.Select(s => $"{s.Key} {s.Value:N0}")));
        Console.Write(JsonSerializer.Serialize(new
        {
            seconds = stopwatch.Elapsed.TotalSeconds,
            customers = summary.Customers,
            planned = summary.Planned,
            heldOut = summary.HeldOut,
            suppressed = summary.Suppressed.Values.Sum(),
            peak = self.PeakWorkingSet64,
        }));
        return 0;
    }

    internal static async Task PrepareAsync(string folder, string store, int customers, long transactions)
    {
        var stopwatch = Stopwatch.StartNew();
        var exports = Path.Combine(folder, "exports");
        if (Directory.Exists(store)) Directory.Delete(store, recursive: true);
        await ExportGenerator.WriteAsync(new GeneratorSettings(customers, transactions, Seed: 7), exports);
        // A cache that holds every customer, as the configuration docs advise for large customer bases.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
        [
            new("Automation:Storage:Sqlite:DataDirectory", store),
            new("Automation:Storage:Sqlite:ProfileCacheSize", Math.Min(10_000_000, customers + customers / 2).ToString(CultureInfo.InvariantCulture)),
        ]).Build();
        await using (var services = new ServiceCollection().AddLogging().AddAutomationIngestion(configuration).AddSqliteStore(configuration).BuildServiceProvider())
        {
            var ingestion = services.GetRequiredService<IngestionService>();
            foreach (var file in LocalExportFile.InFolder(exports)) await ingestion.IngestAsync(file);
        }

        Directory.Delete(exports, recursive: true);
        await File.WriteAllTextAsync(Path.Combine(store, "ready"), "");
        Console.Error.WriteLine($"  prepared {customers:N0} profiles from {transactions:N0} transaction rows in {stopwatch.Elapsed.TotalSeconds:N0} s");
    }

    /// <summary>High grass pollen tomorrow around every third market's centre; nothing elsewhere.</summary>
    private static string Pollen(string folder)
    {
        var path = Path.Combine(folder, "pollen.json");
        var tomorrow = Day.PlusDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var areas = new (string Id, string Country, double Lat, double Lon, int Grass)[]
        {
            ("GB-LONDON", "GB", 51.51, -0.13, 90), ("US-NYC", "US", 40.71, -74.01, 20), ("RU-MOSCOW", "RU", 55.76, 37.62, 10),
            ("CN-SHANGHAI", "CN", 31.23, 121.47, 120), ("IT-ROME", "IT", 41.90, 12.50, 30), ("DE-BERLIN", "DE", 52.52, 13.40, 5),
            ("FR-PARIS", "FR", 48.86, 2.35, 70), ("ES-MADRID", "ES", 40.42, -3.70, 40), ("JP-TOKYO", "JP", 35.68, 139.69, 15),
        };
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            areas = areas.Select(a => new Dictionary<string, object>
            {
                ["id"] = a.Id, ["country"] = a.Country, ["latitude"] = a.Lat, ["longitude"] = a.Lon, ["radiusKm"] = 60,
                ["forecasts"] = new Dictionary<string, object> { [tomorrow] = new Dictionary<string, int> { ["grass"] = a.Grass } },
            }),
        }));
        return path;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Automation.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("Run the benchmark from inside the repository: it uses samples/templates.");
    }

    private sealed class FixedClock(Instant now) : IClock
    {
        public Instant GetCurrentInstant() => now;
    }
}
