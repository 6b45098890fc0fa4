using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Automation.Messages;
using Automation.Planning;
using Automation.Profiles.Identifiers;
using Automation.Reporting;
using Automation.Reporting.Outcomes;
using Automation.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

/// <summary>
/// The outcome report over N generated profiles and M decisions per customer in the embedded store:
/// profiles are generated and ingested once per size and the decisions recorded through the message
/// log (not measured); each measured run builds the report in a child process, so the peak working set
/// is the report's alone.
/// </summary>
internal static class ReportBenchmark
{
    private static readonly LocalDate From = new(2026, 8, 1), To = new(2026, 10, 31), AsOf = new(2026, 11, 30);
    private static readonly string[] Triggers = ["birthday", "churn_risk", "pollen"];

    public static async Task<int> RunAsync(string work, int[] customerCounts, int transactionsPerCustomer, int messagesPerCustomer, int repeat)
    {
        Console.WriteLine($"{"customers",10} {"decisions",11} {"seconds",8} {"decisions/s",12} {"spenders",9} {"peak WS MB",11}");
        foreach (var customers in customerCounts)
        {
            var folder = Path.Combine(work, $"report-{customers}-{messagesPerCustomer}");
            var store = Path.Combine(folder, "store");
            if (!File.Exists(Path.Combine(store, "messages-ready")))
            {
                await PlanningBenchmark.PrepareAsync(folder, store, customers, (long)customers * transactionsPerCustomer);
                await RecordDecisionsAsync(store, messagesPerCustomer);
            }

            for (var run = 0; run < repeat; run++)
            {
                var child = Process.Start(new ProcessStartInfo(Environment.ProcessPath!) { ArgumentList = { "report-child", store }, RedirectStandardOutput = true })!;
                await child.WaitForExitAsync();
                var output = JsonDocument.Parse(await child.StandardOutput.ReadToEndAsync()).RootElement;
                var seconds = output.GetProperty("seconds").GetDouble();
                var decisions = output.GetProperty("decisions").GetInt64();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{customers,10:N0} {decisions,11:N0} {seconds,8:N2} {decisions / seconds,12:N0} {output.GetProperty("converted").GetInt64(),9:N0} {output.GetProperty("peak").GetInt64() / 1e6,11:N0}"));
            }
        }

        return 0;
    }

    public static async Task<int> ChildAsync(string store)
    {
        await using var services = Services(store).AddAutomationReporting().BuildServiceProvider();
        var stopwatch = Stopwatch.StartNew();
        var report = await services.GetRequiredService<OutcomeReport>().BuildAsync(new OutcomeQuery(From, To, AsOf, 14));
        stopwatch.Stop();
        using var self = Process.GetCurrentProcess();
        foreach (var trigger in report.Triggers) Console.Error.WriteLine($"  {trigger.Verdict}");
        Console.Write(JsonSerializer.Serialize(new
        {
            seconds = stopwatch.Elapsed.TotalSeconds,
            decisions = report.Triggers.Sum(t => t.Planned),
            converted = report.Triggers.Sum(t => (long)Math.Round((t.Conversion.Messaged ?? 0) * t.Messaged + (t.Conversion.HeldOut ?? 0) * t.HeldOut)),
            peak = self.PeakWorkingSet64,
        }));
        return 0;
    }

    /// <summary>
    /// Per customer, <paramref name="perCustomer"/> decisions spread over the report's period: one in ten
    /// held out, one in twenty suppressed, the rest delivered, with the send time a plan would give them.
    /// </summary>
    private static async Task RecordDecisionsAsync(string store, int perCustomer)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var services = Services(store).BuildServiceProvider();
        var feed = services.GetRequiredService<IPlanningFeed>();
        var log = services.GetRequiredService<IMessageLog>();
        var batch = new List<MessageRecord>(10_000);
        var days = Period.DaysBetween(From, To) + 1;
        long recorded = 0, customer = 0;
        foreach (var range in await feed.GetRangesAsync())
        {
            await foreach (var planning in feed.ReadRangeAsync(range, Instant.MaxValue))
            {
                customer++;
                for (var i = 0; i < perCustomer; i++)
                {
                    var day = From.PlusDays((int)((customer * 7 + i * days / perCustomer) % days));
                    var sequence = customer * perCustomer + i;
                    var status = ((customer + i) % 20) switch { 0 or 10 => MessageStatus.HeldOut, 5 => MessageStatus.Suppressed, _ => MessageStatus.Delivered };
                    var sendAt = day.At(new LocalTime(7, 0)).InUtc().ToInstant();
                    batch.Add(new MessageRecord(new MessageId($"m{sequence:x12}"), new CustomerId(planning.Profile.CustomerId), new TriggerName(Triggers[i % Triggers.Length]),
                        $"bench:{i}", null, day, status == MessageStatus.Suppressed ? null : sendAt, status,
                        status == MessageStatus.Suppressed ? new ReasonCode("frequency_cap") : status == MessageStatus.HeldOut ? new ReasonCode("holdout") : null,
                        "benchmark decision", new Dictionary<string, string>(), sendAt - Duration.FromHours(2)));
                    if (batch.Count == batch.Capacity)
                    {
                        await log.RecordAsync(batch);
                        recorded += batch.Count;
                        batch.Clear();
                    }
                }
            }
        }

        await log.RecordAsync(batch);
        recorded += batch.Count;
        await File.WriteAllTextAsync(Path.Combine(store, "messages-ready"), "");
        Console.Error.WriteLine($"  recorded {recorded:N0} decisions for {customer:N0} customers in {stopwatch.Elapsed.TotalSeconds:N0} s");
    }

    private static ServiceCollection Services(string store)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Automation:Storage:Sqlite:DataDirectory", store)]).Build();
        var services = new ServiceCollection();
        services.AddSqliteStore(configuration);
        return services;
    }
}
