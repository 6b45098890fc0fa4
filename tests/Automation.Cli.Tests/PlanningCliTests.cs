using System.Text.Json;
using Automation.Hosting;
using Automation.Messages;
using Automation.Personalization.Links;
using Automation.Rights.Preferences;
using Automation.Testing;
using FluentAssertions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Automation.Cli.Tests;

/// <summary>
/// plan, preview, explain and run as a user runs them, from the repository root with the sample
/// settings. Dates lie far ahead so that every send window is still open whenever the tests run.
/// </summary>
[Trait(Peers.Trait, Peers.Value)]
public sealed class PlanningCliTests : IDisposable
{
    private const string Day = "2099-06-15";
    /// <summary>The plan of <see cref="Day"/> made the day before, as the hosts make it: every send time is the opening of a window.</summary>
    private static readonly (string, string) DayAhead = ("Automation__Clock__Now", "2099-06-14T05:00:00Z");
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Run_ingests_plans_and_delivers_the_samples_once()
    {
        var (exit, output, error) = await Run("run", "--date", Day);

        exit.Should().Be(0, error);
        output.Should().Contain("1. Ingest").And.Contain("2. Churn model").And.Contain("3. Plan").And.Contain("4. Deliver");
        var files = Directory.GetFiles(_folder.File("outbox"), "*.eml");
        files.Should().NotBeEmpty();
        output.Should().Contain($"sent {files.Length} to the outbox");

        var (againExit, again, _) = await Run("run", "--date", Day);
        againExit.Should().Be(0);
        again.Should().Contain("skipped (already ingested)").And.Contain("planned 0,").And.Contain("sent 0 to the outbox");
        Directory.GetFiles(_folder.File("outbox"), "*.eml").Should().HaveCount(files.Length);
    }

    [Fact]
    public async Task Plan_json_reports_counts_reasons_and_messages()
    {
        (await Run("ingest", SampleInbox.CopyTo(_folder))).ExitCode.Should().Be(0);

        var (exit, output, error) = await Run(DayAhead, "plan", "--date", Day, "--dry-run", "--json");

        exit.Should().Be(0, error);
        var plan = JsonDocument.Parse(output).RootElement;
        plan.GetProperty("date").GetString().Should().Be(Day);
        var planned = plan.GetProperty("planned").GetInt64();
        planned.Should().BePositive();
        plan.GetProperty("heldOut").GetInt64().Should().BeGreaterThanOrEqualTo(0);
        plan.GetProperty("suppressed").GetProperty("no_opt_in").GetInt64().Should().BePositive();
        plan.GetProperty("byTrigger").GetProperty("churn_risk").GetInt64().Should().BePositive();
        var messages = plan.GetProperty("messages").EnumerateArray().ToList();
        messages.Should().HaveCount((int)planned);
        foreach (var property in new[] { "messageId", "customerId", "trigger", "sendAt", "reason" })
        {
            messages.Should().OnlyContain(m => m.GetProperty(property).GetString()!.Length > 0);
        }

        messages[0].GetProperty("sendAt").GetString().Should().StartWith(Day[..4]);
        (await Run(DayAhead, "plan", "--date", Day, "--dry-run", "--json")).Output.Should().Be(output, "a dry run records nothing, so it repeats exactly");
    }

    [Fact]
    public async Task Preview_renders_even_when_a_policy_stops_the_message_and_explain_says_why()
    {
        var inbox = CustomersExport("C1,customer.c1@example.com,<b>Ada</b>,1990-06-15,it-IT,Europe/Rome,false,2026-01-01T00:00:00Z");
        (await Run("ingest", inbox)).ExitCode.Should().Be(0);

        var (exit, output, error) = await Run("preview", "--customer", "C1", "--trigger", "birthday", "--date", Day);
        var explain = await Run("explain", "--customer", "C1", "--date", Day);

        exit.Should().Be(0, error);
        output.Should().Contain("Would not be sent: the no_opt_in policy stops it");
        output.Should().Contain("Subject Buon compleanno, <b>Ada</b>!");
        output.Should().Contain("<p>Buon compleanno, &lt;b&gt;Ada&lt;/b&gt;!</p>");
        output.Should().NotContain("109 anni", "an age of 109 in 2099 is implausible, so the template leaves it out");
        explain.ExitCode.Should().Be(0);
        explain.Output.Should().Contain("birthday (priority 1): fired: birthday today")
            .And.Contain("suppressed (no_opt_in)")
            .And.Contain("churn_risk (priority 2): did not fire: 0 purchase days; the interval rule needs at least 3 (it decides because no churn model has been fitted yet)")
            .And.Contain("pollen (priority 3): did not fire");
    }

    [Fact]
    public async Task Two_records_with_one_address_get_one_message_and_ingest_and_explain_say_so()
    {
        var inbox = CustomersExport(
            "C1,Ada.Shared@example.com,Ada,1990-06-15,it-IT,Europe/Rome,true,2026-01-01T00:00:00Z",
            "C2, ada.shared@EXAMPLE.com ,Ada,1990-06-15,it-IT,Europe/Rome,true,2026-01-01T00:00:00Z");

        var ingest = await Run("ingest", inbox);
        var (exit, output, error) = await Run(DayAhead, "plan", "--date", Day, "--json");
        var explained = new[] { await Run(DayAhead, "explain", "--customer", "C1", "--date", Day), await Run(DayAhead, "explain", "--customer", "C2", "--date", Day) };

        ingest.ExitCode.Should().Be(0, ingest.Error);
        File.ReadAllText(Path.Combine(inbox, "customers.csv.rejected.csv")).Should().Contain("has the same address as customer C");
        exit.Should().Be(0, error);
        var plan = JsonDocument.Parse(output).RootElement;
        plan.GetProperty("planned").GetInt64().Should().Be(1);
        plan.GetProperty("suppressed").GetProperty("shared_address").GetInt64().Should().Be(1);
        explained.Should().OnlyContain(e => e.ExitCode == 0);
        explained[0].Output.Should().Contain("same address as customer C2");
        explained[1].Output.Should().Contain("same address as customer C1");
        explained.Should().ContainSingle(e => e.Output.Contains("suppressed (shared_address)", StringComparison.Ordinal), "the record that lost the day says why");
    }

    [Fact]
    public async Task A_topic_turned_off_on_the_preference_page_stops_that_trigger_and_explain_shows_the_choices()
    {
        var inbox = CustomersExport("C1,customer.c1@example.com,Ada,1990-06-15,it-IT,Europe/Rome,true,2026-01-01T00:00:00Z");
        (await Run("ingest", inbox)).ExitCode.Should().Be(0);
        (await Run(DayAhead, "plan", "--date", Day)).ExitCode.Should().Be(0);

        // The customer opens the link of that message and turns birthday mail off, as serve answers it, on the same data folder.
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(SharedData.RepositoryRoot, "samples", "settings.json"))
            .AddInMemoryCollection([
                new("Automation:Storage:Sqlite:DataDirectory", _folder.File("store")),
                new("Automation:Personalization:TemplatesDirectory", Path.Combine(SharedData.RepositoryRoot, "samples", "templates")),
                new("Automation:Clock:Now", Day + "T12:00:00Z")])
            .Build();
        await using (var services = new ServiceCollection().AddLogging().AddAutomation(configuration).AddDataFolderLinkKey(configuration).BuildServiceProvider())
        {
            var message = (await services.GetRequiredService<IMessageLog>().GetCustomerMessagesAsync(new("C1"))).Single();
            var token = services.GetRequiredService<PreferenceLinks>().TokenFor(message.MessageId);
            var choices = new Dictionary<string, string> { ["action"] = "save", ["topic:churn_risk"] = "on", ["topic:pollen"] = "on", ["health"] = "on" };
            (await services.GetRequiredService<PreferenceCenter>().SubmitAsync(token, choices)).StatusCode.Should().Be(200);
        }

        var explain = await Run("explain", "--customer", "C1", "--date", "2100-06-15");

        explain.ExitCode.Should().Be(0, explain.Error);
        explain.Output.Should().Contain("topic birthday is off: the customer turned birthday messages off on 2099-06-15 (preference page, message m")
            .And.Contain("health-related personalization: opted in (OptIn on 2099-06-15, preference page, message m")
            .And.Contain("suppressed (topic_off)");
    }

    [Fact]
    public async Task A_wrong_trigger_setting_stops_the_plan_with_the_sentence()
    {
        var (exit, _, error) = await Run(("Automation__Triggers__Pollen__Thresholds__grass", "high"), "plan", "--date", Day);

        exit.Should().Be(2);
        error.Should().Contain("Automation:Triggers:Pollen:Thresholds:grass must be a positive number of grains/m³, got 'high'.");
    }

    /// <summary>A folder holding a customers export with these rows, for ingest.</summary>
    private string CustomersExport(params string[] rows)
    {
        var inbox = Path.Combine(_folder.Path, "exports");
        Directory.CreateDirectory(inbox);
        File.WriteAllText(Path.Combine(inbox, "customers.csv"),
            "customer_id,email,first_name,birth_date,locale,time_zone,email_opt_in,updated_at\n" + string.Concat(rows.Select(row => row + "\n")));
        return inbox;
    }

    [Fact]
    public async Task Retention_lists_the_inactive_customers_in_a_dry_run_and_run_erases_them_before_it_plans()
    {
        var retention = ("Automation__Retention__InactiveMonths", "12");
        await Run("ingest", SampleInbox.CopyTo(_folder));

        var off = await Run("retention", "--dry-run");
        var listed = await Run(retention, "retention", "--dry-run", "--json");
        var again = await Run(retention, "retention", "--dry-run");
        var (exit, output, error) = await Run(retention, "run", "--date", Day);

        off.Error.Should().Contain("Retention is off");
        var inactive = listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        inactive.Should().NotBeEmpty("in 2099 every sample customer has been inactive for decades");
        inactive.Should().OnlyContain(c => c.GetProperty("lastActivity").GetString()!.StartsWith("20", StringComparison.Ordinal));
        again.Error.Should().Contain($"{inactive.Count} customer(s) would be erased (dry run: nothing changed)");
        exit.Should().Be(0, error);
        output.Should().Contain($"Retention: {inactive.Count} customers erased");
        output.IndexOf("Retention:", StringComparison.Ordinal).Should().BeLessThan(output.IndexOf("3. Plan", StringComparison.Ordinal), "nothing is planned for a customer about to be erased");
        var erasedId = inactive[0].GetProperty("customerId").GetString()!;
        (await Run("customer", erasedId)).Error.Should().Contain($"Customer '{erasedId}' was erased");
        (await Run(retention, "retention", "--dry-run", "--json")).Output.Should().BeEmpty();
    }

    [Fact]
    public async Task Report_gives_each_planned_trigger_its_groups_rates_and_verdict_as_json_and_as_tables()
    {
        await Run("run", "--date", Day);

        var (exit, output, error) = await Run("report", "--as-of", "2099-07-10", "--json");
        var tables = await Run("report", "--as-of", "2099-07-10", "--html", _folder.File("report.html"));
        var wrong = await Run("report", "--as-of", "10 July");

        exit.Should().Be(0, error);
        var report = JsonDocument.Parse(output).RootElement;
        (report.GetProperty("asOf").GetString(), report.GetProperty("from").GetString(), report.GetProperty("windowDays").GetInt32()).Should().Be(("2099-07-10", "2099-04-11", 14));
        var trigger = report.GetProperty("triggers").EnumerateArray().Should().NotBeEmpty().And.Subject.First();
        foreach (var field in new[] { "trigger", "planned", "messaged", "heldOut", "pending", "conversion", "cumulativeConversion", "revenuePerCustomer", "events", "verdict", "byLocale" }) trigger.TryGetProperty(field, out _).Should().BeTrue(field);
        trigger.GetProperty("planned").GetInt64().Should().BePositive();
        tables.Output.Should().Contain(trigger.GetProperty("verdict").GetString()![..30]);
        (await File.ReadAllTextAsync(_folder.File("report.html"))).Should().Contain(System.Net.WebUtility.HtmlEncode(trigger.GetProperty("verdict").GetString()!));
        wrong.ExitCode.Should().Be(2);
        wrong.Error.Should().Contain("--as-of must be a date as YYYY-MM-DD");
    }

    private Task<(int ExitCode, string Output, string Error)> Run(params string[] args) => Run(null, args);

    private Task<(int ExitCode, string Output, string Error)> Run((string Key, string Value)? setting, params string[] args)
    {
        // Everything the run writes stays in the test's folder; the reports next to the samples are git-ignored.
        var environment = new Dictionary<string, string>
        {
            ["Automation__Delivery__Outbox__Directory"] = _folder.File("outbox"),
            // Inside the send windows of Day in Europe and Asia (New York opens later): a late plan of Day, whose due messages the outbox takes.
            ["Automation__Clock__Now"] = Day + "T10:30:00Z",
            ["Automation__Run__InboxDirectory"] = SampleInbox.CopyTo(_folder),
        };
        if (setting is var (key, value)) environment[key] = value;
        return CliProcess.RunAsync(
            new[] { "--settings", "samples/settings.json", "--data-dir", _folder.File("store") }.Concat(args), SharedData.RepositoryRoot, environment);
    }

    public void Dispose() => _folder.Dispose();
}
