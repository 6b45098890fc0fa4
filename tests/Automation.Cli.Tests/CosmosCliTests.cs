using System.Text.Json;
using System.Text.RegularExpressions;
using Automation.Testing;
using FluentAssertions;
using Xunit;

namespace Automation.Cli.Tests;

/// <summary>The main job on the Cosmos DB store (the test server), against the embedded store on the same input.</summary>
[Trait(Peers.Trait, Peers.Value)]
public sealed class CosmosCliTests : IDisposable
{
    private const string Day = "2099-06-15";
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task The_main_job_on_Cosmos_DB_decides_and_delivers_exactly_what_the_embedded_store_does()
    {
        var server = await CosmosTestServer.GetAsync();
        var cosmosSettings = server.Settings().ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);

        var embedded = await MainJobAsync("embedded", []);
        var cosmos = await MainJobAsync("cosmos", cosmosSettings);

        cosmos.Output.Should().Contain("RU per 1,000 rows ingested").And.Contain("RU per 1,000 profiles planned");
        embedded.Output.Should().NotContain("Cosmos DB:");
        cosmos.Outbox.Keys.Should().NotBeEmpty().And.BeEquivalentTo(embedded.Outbox.Keys);
        foreach (var (file, content) in embedded.Outbox) cosmos.Outbox[file].Should().Be(content, $"{file} is the same mail on either store");
        cosmos.Plan.Should().BeEquivalentTo(embedded.Plan, "the same decisions, in any order");

        var again = await RunAsync("cosmos", Later(cosmosSettings, "11:30:00"), "run", "--date", Day);
        again.ExitCode.Should().Be(0, again.Error);
        again.Output.Should().Contain("skipped (already ingested)").And.Contain("planned 0,").And.Contain("sent 0 to the outbox");
    }

    [Fact]
    public async Task Without_an_account_the_cosmos_store_stops_at_start_naming_the_setting()
    {
        var (exit, _, error) = await RunAsync("unset", [], "--store", "cosmos", "plan", "--date", Day);

        exit.Should().Be(2);
        error.Should().Contain("Automation:Cosmos:AccountEndpoint must be set");
    }

    /// <summary>Runs the main job, then a dry-run plan of the same day; returns the outbox (without the send time) and the plan.</summary>
    private async Task<(string Output, Dictionary<string, string> Outbox, object Plan)> MainJobAsync(string name, Dictionary<string, string> settings)
    {
        var run = await RunAsync(name, settings, "run", "--date", Day);
        run.ExitCode.Should().Be(0, run.Error);
        var outbox = Directory.GetFiles(_folder.File($"{name}-outbox"), "*.eml").ToDictionary(
            file => Path.GetFileName(file),
            file => WithoutSendTime(File.ReadAllLines(file)));

        var plan = await RunAsync(name, Later(settings, "11:00:00"), "plan", "--date", Day, "--dry-run", "--json");
        plan.ExitCode.Should().Be(0, plan.Error);
        var json = JsonDocument.Parse(plan.Output).RootElement;
        var summary = new
        {
            customers = json.GetProperty("customers").GetInt64(),
            planned = json.GetProperty("planned").GetInt64(),
            alreadyPlanned = json.GetProperty("alreadyPlanned").GetInt64(),
            suppressed = json.GetProperty("suppressed").ToString(),
            messages = json.GetProperty("messages").EnumerateArray().Select(m => m.ToString()).Order(StringComparer.Ordinal).ToList(),
        };
        return (run.Output, outbox, summary);
    }

    /// <summary>
    /// The mail as it reads, without what differs on every send: the Date and send-time headers (a late
    /// plan sends at the moment it runs) and the random MIME boundary.
    /// </summary>
    private static string WithoutSendTime(string[] lines) => Regex.Replace(
        string.Join('\n', lines.Where(line => !line.StartsWith("Date: ", StringComparison.Ordinal) && !line.StartsWith("X-Automation-Send-At: ", StringComparison.Ordinal))),
        "boundary_[0-9]+_[0-9a-f-]{36}", "boundary");

    private Task<(int ExitCode, string Output, string Error)> RunAsync(string name, Dictionary<string, string> settings, params string[] args)
    {
        var environment = new Dictionary<string, string>
        {
            ["Automation__Delivery__Outbox__Directory"] = _folder.File($"{name}-outbox"),
            ["Automation__Run__InboxDirectory"] = SampleInbox.CopyTo(_folder),
            // Inside the send windows of Day in Europe and Asia (New York opens later): a late plan of Day, whose due messages the outbox takes.
            ["Automation__Clock__Now"] = Day + "T10:30:00Z",
            // One key for both stores' runs, so their mails carry the same links.
            ["Automation__Personalization__LinkKeys__0"] = TestLinks.Key,
        };
        foreach (var (key, value) in settings) environment[key] = value;
        return CliProcess.RunAsync(
            new[] { "--settings", "samples/settings.json", "--data-dir", _folder.File($"{name}-store") }.Concat(args), SharedData.RepositoryRoot, environment);
    }

    /// <summary>A later process: its clock starts after what the earlier ones wrote.</summary>
    private static Dictionary<string, string> Later(Dictionary<string, string> settings, string time) =>
        new(settings) { ["Automation__Clock__Now"] = Day + "T" + time + "Z" };

    public void Dispose() => _folder.Dispose();
}
