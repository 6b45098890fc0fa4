using System.Text.RegularExpressions;
using Automation.Hosting;
using Automation.Ingestion;
using Automation.Testing;
using FluentAssertions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Xunit;

namespace Automation.Functions.Tests;

/// <summary>
/// The whole day through the Functions app, every function called as the host would call it, against
/// the command line's <c>run</c> on the same exports: the same profiles, message log and outbox.
/// </summary>
[Collection(OneAtATime.Name)]
[Trait(Peers.Trait, Peers.Value)]
public sealed partial class PipelineTests : IDisposable
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 22, 5, 30);
    /// <summary>The day ahead of <see cref="Now"/>, which the plan then plans.</summary>
    private static readonly string Day = "2026-11-23";
    /// <summary>On <see cref="Day"/>, inside the send windows of the sample customers in Asia and Europe (not yet New York's).</summary>
    private static readonly Instant DeliveryTime = Instant.FromUtc(2026, 11, 23, 10, 30);
    private static readonly string[] Exports = ["customers.csv", "transactions.csv", "consents.csv"];
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [MemberData(nameof(TestStores.Backends), MemberType = typeof(TestStores))]
    public async Task A_day_through_the_functions_ends_as_the_command_lines_run_on_the_same_exports(string backend)
    {
        var cliStore = await TestStores.ForBackendAsync(backend, _folder, "cli-store");
        var cli = await RunCliAsync(cliStore, _folder.File("cli-outbox"));

        var handedOver = new List<string>();
        await using var host = await StartAsync(await TestStores.ForBackendAsync(backend, _folder, "functions-store"), _folder.File("functions-outbox"), handedOver);
        await host.DropSampleExportsAsync(Exports);

        var blobs = await ListAsync(host);
        blobs.Should().Contain(Exports.Select(e => e + ReportNames.SummarySuffix), "each export's report lands next to it");
        var ingested = await StoreSnapshot.TakeAsync(host.Services);
        await using (var again = File.OpenRead(FunctionsMetadata.RepositoryFile("samples", "inbox", "transactions.csv")))
        {
            await host.DropExportAsync("transactions-again.csv", again);
        }

        (await StoreSnapshot.TakeAsync(host.Services)).Should().Equal(ingested, "the same content dropped again changes nothing");
        // The report blobs the app writes fire the trigger too; the function leaves them alone.
        foreach (var report in (await ListAsync(host)).Where(ReportNames.IsReport)) await host.FireBlobTriggerAsync(report);
        (await StoreSnapshot.TakeAsync(host.Services)).Should().Equal(ingested);

        await host.FireTimerAsync("RefitChurnModel");
        await host.FireTimerAsync("PlanDay");
        var shards = await host.PeekAsync("plan-shards");
        shards.Should().NotBeEmpty().And.OnlyContain(s => s.Contains($"\"date\":\"{Day}\"", StringComparison.Ordinal));
        (await host.PeekAsync("deliveries")).Should().ContainSingle("the sweep of days whose windows have closed");
        (await host.DrainAsync("plan-shards")).Should().Be(shards.Count);
        (await host.DrainAsync("deliveries")).Should().Be(1, "nothing of the day ahead is due yet, and the outbox cannot hold a message back: no batch");
        handedOver.Should().BeEmpty();

        host.Clock.Now = DeliveryTime;
        await host.FireTimerAsync("DeliverDue");
        await host.FireTimerAsync("DeliverDue");

        handedOver.Should().NotBeEmpty().And.OnlyHaveUniqueItems();
        ToTheMinute(await StoreSnapshot.TakeAsync(host.Services)).Should().Equal(ToTheMinute(cli.Snapshot));
        ToTheMinute(OutboxIndex(_folder.File("functions-outbox"))).Should().Equal(ToTheMinute(OutboxIndex(_folder.File("cli-outbox")))).And.HaveCount(handedOver.Count);
    }

    private async Task<FunctionsTestHost> StartAsync(IReadOnlyDictionary<string, string?> store, string outbox, List<string> handedOver)
    {
        var settings = new Dictionary<string, string?>(store)
        {
            ["Automation:Delivery:Outbox:Directory"] = outbox,
            // Small batches, so the day takes several delivery work items.
            ["Automation:Delivery:BatchSize"] = "2",
        };
        return await FunctionsTestHost.StartAsync(settings, Now, services => services.RecordHandOvers(handedOver));
    }

    /// <summary>
    /// <c>automation run</c> as a process on a copy of the sample inbox, its clock started at <see cref="Now"/>,
    /// and again at <see cref="DeliveryTime"/>; then what its store holds.
    /// </summary>
    private async Task<(List<string> Snapshot, string Output)> RunCliAsync(IReadOnlyDictionary<string, string?> store, string outbox)
    {
        var environment = store.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);
        environment["Automation__Clock__Now"] = Now.ToString();
        environment["Automation__Run__InboxDirectory"] = SampleInbox.CopyTo(_folder);
        environment["Automation__Delivery__Outbox__Directory"] = outbox;
        var (exit, output, error) = await CliProcess.RunAsync(["--settings", "samples/settings.json", "run"], SharedData.RepositoryRoot, environment);
        exit.Should().Be(0, output + error);
        output.Should().Contain($"Plan for {Day}");
        // Run again when the messages are due, as a scheduled run or automation serve would.
        environment["Automation__Clock__Now"] = DeliveryTime.ToString();
        (exit, output, error) = await CliProcess.RunAsync(["--settings", "samples/settings.json", "run", "--date", Day], SharedData.RepositoryRoot, environment);
        exit.Should().Be(0, output + error);

        var configuration = new ConfigurationBuilder().AddJsonFile(FunctionsMetadata.RepositoryFile("samples", "settings.json")).AddInMemoryCollection(store)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Automation:Personalization:TemplatesDirectory"] = FunctionsMetadata.RepositoryFile("samples", "templates") })
            .Build();
        // Read after the run: its decisions were recorded on a clock that ran on from Now.
        var after = new FakeClock(DeliveryTime.Plus(Duration.FromHours(1)));
        await using var services = new ServiceCollection().AddSingleton<IClock>(after).AddLogging().AddAutomation(configuration).BuildServiceProvider();
        return (await StoreSnapshot.TakeAsync(services), output);
    }

    private static async Task<List<string>> ListAsync(FunctionsTestHost host)
    {
        var names = new List<string>();
        await foreach (var blob in host.Exports.GetBlobsAsync()) names.Add(blob.Name);
        return names;
    }

    /// <summary>
    /// Send times to the minute: a message whose window is already open is sent at the instant it is
    /// planned, and the command line's clock runs on from <see cref="Now"/> for the seconds it ingests.
    /// </summary>
    private static List<string> ToTheMinute(IEnumerable<string> lines) =>
        lines.Select(line => SecondsOfInstant().Replace(line, "$1Z")).ToList();

    [GeneratedRegex(@"(T\d\d:\d\d):\d\d(\.\d+)?Z")]
    private static partial Regex SecondsOfInstant();

    /// <summary>The outbox's index lines, in a fixed order.</summary>
    private static List<string> OutboxIndex(string outbox) =>
        File.ReadAllLines(Path.Combine(outbox, "index.jsonl")).Order(StringComparer.Ordinal).ToList();
}
