using Automation.Testing;
using FluentAssertions;
using Xunit;

namespace Automation.Cli.Tests;

/// <summary>
/// Opt-outs win over keeping to the schedule: a consents export that fails part-way stops the plan and
/// the delivery, on either store, until a file of the same name is ingested completely; a failed
/// transactions export does not.
/// </summary>
[Trait(Peers.Trait, Peers.Value)]
public sealed class ConsentsGateCliTests : IDisposable
{
    private const string Day = "2099-06-15";
    private readonly TempFolder _folder = new();

    [Theory]
    [InlineData("embedded")]
    [InlineData("cosmos")]
    public async Task A_truncated_consents_export_stops_plan_and_delivery_naming_the_file_until_it_is_ingested_completely(string store)
    {
        var settings = await StoreSettingsAsync(store);
        var inbox = SampleInbox.CopyTo(_folder);
        var complete = Gzip.Compress(File.ReadAllBytes(Path.Combine(inbox, "consents.csv")));
        File.Delete(Path.Combine(inbox, "consents.csv"));
        File.WriteAllBytes(Path.Combine(inbox, "consents.csv.gz"), Gzip.Truncated(complete));

        var blocked = await RunAsync(settings, inbox, "run", "--date", Day);

        blocked.ExitCode.Should().Be(1);
        blocked.Output.Should().Contain("Nothing is planned: the consents export consents.csv.gz is not completely ingested (failed: ")
            .And.Contain("Nothing is delivered: the consents export consents.csv.gz");
        Outbox().Should().BeEmpty();
        var plan = await RunAsync(settings, inbox, "plan", "--date", Day);
        plan.Output.Should().Contain("blocked").And.Contain("consents.csv.gz");

        File.WriteAllBytes(Path.Combine(inbox, "consents.csv.gz"), complete);
        var resumed = await RunAsync(settings, inbox, "run", "--date", Day);

        resumed.ExitCode.Should().Be(0, resumed.Output + resumed.Error);
        resumed.Output.Should().NotContain("Nothing is planned");
        Outbox().Should().NotBeEmpty();
    }

    [Fact]
    public async Task A_truncated_transactions_export_is_reported_and_does_not_stop_the_day()
    {
        var inbox = SampleInbox.CopyTo(_folder);
        var transactions = Gzip.Compress(File.ReadAllBytes(Path.Combine(inbox, "transactions.csv")));
        File.Delete(Path.Combine(inbox, "transactions.csv"));
        File.WriteAllBytes(Path.Combine(inbox, "transactions.csv.gz"), Gzip.Truncated(transactions));

        var run = await RunAsync([], inbox, "run", "--date", Day);

        run.ExitCode.Should().Be(1, "a file failed");
        run.Output.Should().NotContain("Nothing is planned");
        Outbox().Should().NotBeEmpty();
    }

    private string[] Outbox() => Directory.Exists(_folder.File("outbox")) ? Directory.GetFiles(_folder.File("outbox"), "*.eml") : [];

    private static async Task<Dictionary<string, string>> StoreSettingsAsync(string store) => store == "cosmos"
        ? (await CosmosTestServer.GetAsync()).Settings().ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!)
        : [];

    private Task<(int ExitCode, string Output, string Error)> RunAsync(Dictionary<string, string> settings, string inbox, params string[] args)
    {
        var environment = new Dictionary<string, string>(settings)
        {
            ["Automation__Delivery__Outbox__Directory"] = _folder.File("outbox"),
            // Inside the send windows of Day in Europe and Asia (New York opens later): a late plan of Day, whose due messages the outbox takes.
            ["Automation__Clock__Now"] = Day + "T10:30:00Z",
            ["Automation__Run__InboxDirectory"] = inbox,
        };
        return CliProcess.RunAsync(
            new[] { "--settings", "samples/settings.json", "--data-dir", _folder.File("store") }.Concat(args), SharedData.RepositoryRoot, environment);
    }

    public void Dispose() => _folder.Dispose();
}
