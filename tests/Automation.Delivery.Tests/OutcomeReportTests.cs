using Automation.Messages;
using Automation.Profiles.Changes;
using Automation.Profiles.Storage;
using Automation.Reporting.Outcomes;
using Automation.Testing;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Delivery.Tests;

/// <summary>The outcome report on each store, over decisions the real plan made and purchases after them.</summary>
public abstract class OutcomeReportTests : IDisposable
{
    private readonly TempFolder _folder = new();

    protected abstract Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync(TempFolder folder);

    /// <summary>
    /// 40 birthdays on 15 June (sent 07:00 UTC), half held out. Every messaged customer buys for 25 EUR
    /// three days later and for 100 EUR after the 14-day window; a held-out one buys for 40 EUR on the
    /// birthday, two hours before the send time. The provider reports every sent mail delivered, and
    /// three opened.
    /// </summary>
    private async Task<(Pipeline Pipeline, List<MessageRecord> Decisions)> PlannedAndBoughtAsync()
    {
        var pipeline = new Pipeline(_folder, await StoreSettingsAsync(_folder), ("Automation:Triggers:Birthday:HoldoutPercent", "50"));
        await pipeline.AddCelebratingCustomersAsync(40);
        await pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false);
        pipeline.Clock.Now = Pipeline.SendTime;
        await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);
        var decisions = await pipeline.AllMessagesAsync(40);
        var lines = new List<ProfileChange>();
        foreach (var (decision, i) in decisions.Select((d, i) => (d, i)))
        {
            var customer = decision.CustomerId.Value;
            if (decision.Status == MessageStatus.HeldOut)
            {
                lines.Add(TestChanges.Line(customer, $"T-{i}", 40m, line: "1", day: Pipeline.Birthday, time: new LocalTime(6, 0)));
                continue;
            }

            lines.Add(TestChanges.Line(customer, $"T-{i}", 25m, line: "1", day: Pipeline.Birthday.PlusDays(3)));
            lines.Add(TestChanges.Line(customer, $"L-{i}", 100m, line: "1", day: Pipeline.Birthday.PlusDays(15)));
        }

        await pipeline.Store.ApplyAsync(lines);
        var log = pipeline.Get<IMessageLog>();
        var sent = decisions.Where(d => d.Status == MessageStatus.Sent).ToList();
        foreach (var message in sent) await log.ApplyEventAsync(message, new MessageEvent(DeliveryEventTypes.Delivered, Pipeline.SendTime + Duration.FromMinutes(1), null, null));
        foreach (var message in sent.Take(3)) await log.ApplyEventAsync(message, new MessageEvent(DeliveryEventTypes.Open, Pipeline.SendTime + Duration.FromHours(2), null, null));
        return (pipeline, decisions);
    }

    [Fact]
    public async Task Messaged_and_held_out_customers_are_compared_on_purchases_and_revenue_after_the_send_time_within_the_window()
    {
        var (pipeline, decisions) = await PlannedAndBoughtAsync();
        await using var _ = pipeline;
        var messaged = decisions.Count(d => d.Status == MessageStatus.Sent);
        var heldOut = decisions.Count(d => d.Status == MessageStatus.HeldOut);
        (messaged, heldOut).Should().Match<(int, int)>(g => g.Item1 > 5 && g.Item2 > 5, "a 50% holdout over 40 customers");

        var report = await pipeline.Get<OutcomeReport>().BuildAsync(new OutcomeQuery(new LocalDate(2026, 6, 1), new LocalDate(2026, 6, 30), new LocalDate(2026, 7, 10), 14));

        var birthday = report.Triggers.Should().ContainSingle().Subject;
        (birthday.Trigger, birthday.Planned, birthday.Messaged, birthday.HeldOut, birthday.Pending).Should().Be(("birthday", 40L, (long)messaged, (long)heldOut, 0L));
        birthday.Conversion.Should().Be(new Conversion(1.0, 0.0), "the held-out purchases came before the time their mail would have gone");
        birthday.Uplift!.Absolute.Should().Be(1.0);
        birthday.Uplift.Low.Should().BePositive();
        birthday.Uplift.IncrementalPurchases.Should().Be(messaged);
        birthday.Verdict.Should().StartWith("Birthday mails raised the 14-day purchase rate from 0.0% to 100.0%");
        birthday.ByLocale.Should().ContainSingle().Which.Locale.Should().Be("it-IT");

        birthday.RevenuePerCustomer.Keys.Should().Equal("EUR");
        birthday.RevenuePerCustomer["EUR"].Should().Be(new RevenueOutcome(25, 0, 25, 25, 25, 25 * messaged),
            "only the 25 EUR bought inside the window counts, and every replicate agrees when every customer spent the same");
        birthday.CumulativeConversion.Messaged.Should().HaveCount(14);
        birthday.CumulativeConversion.Messaged.Take(3).Should().AllSatisfy(share => share.Should().Be(0), "nobody bought in the first three days");
        birthday.CumulativeConversion.Messaged.Skip(3).Should().AllSatisfy(share => share.Should().Be(1));
        birthday.CumulativeConversion.HeldOut.Should().AllSatisfy(share => share.Should().Be(0));

        (birthday.Events.Sent, birthday.Events.Delivered, birthday.Events.Opened, birthday.Events.Bounced, birthday.Events.Clicked)
            .Should().Be(((long)messaged, (long)messaged, 3L, 0L, 0L));
        birthday.Events.Rates.Delivered.Should().Be(1.0);
        birthday.Events.Rates.Opened.Should().BeApproximately(3.0 / messaged, 1e-12);
    }

    [Fact]
    public async Task Decisions_whose_window_has_not_ended_are_pending_and_counted_nowhere_else()
    {
        var (pipeline, _) = await PlannedAndBoughtAsync();
        await using var __ = pipeline;

        var early = await pipeline.Get<OutcomeReport>().BuildAsync(new OutcomeQuery(new LocalDate(2026, 6, 1), new LocalDate(2026, 6, 30), new LocalDate(2026, 6, 20), 14));
        var other = await pipeline.Get<OutcomeReport>().BuildAsync(new OutcomeQuery(new LocalDate(2026, 6, 1), new LocalDate(2026, 6, 30), new LocalDate(2026, 7, 10), 14, new TriggerName("churn_risk")));

        var birthday = early.Triggers.Should().ContainSingle().Subject;
        (birthday.Planned, birthday.Pending, birthday.Messaged, birthday.HeldOut).Should().Be((40L, 40L, 0L, 0L));
        birthday.Uplift.Should().BeNull();
        other.Triggers.Should().BeEmpty();
    }

    [Fact]
    public async Task The_html_page_shows_the_verdict_figures_and_charts_in_a_real_browser_and_loads_nothing_from_anywhere()
    {
        var (pipeline, _) = await PlannedAndBoughtAsync();
        await using var __ = pipeline;
        var report = await pipeline.Get<OutcomeReport>().BuildAsync(new OutcomeQuery(new LocalDate(2026, 6, 1), new LocalDate(2026, 6, 30), new LocalDate(2026, 7, 10), 14));
        var file = _folder.File("report.html");
        await File.WriteAllTextAsync(file, OutcomeReportHtml.Render(report));
        var (playwright, browser) = await HeadlessChromium.LaunchAsync();
        using var _ = playwright;
        await using var __browser = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1100, Height = 900 } });
        var problems = new List<string>();
        var requests = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") problems.Add(message.Text); };
        page.PageError += (_, error) => problems.Add(error);
        page.Request += (_, request) => requests.Add(request.Url);

        await page.GotoAsync(new Uri(file).AbsoluteUri);
        Directory.CreateDirectory(HeadlessChromium.ScreenshotDirectory);
        var screenshot = Path.Combine(HeadlessChromium.ScreenshotDirectory, $"outcome-report-{GetType().Name}.png");
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });

        problems.Should().BeEmpty();
        requests.Should().Equal([new Uri(file).AbsoluteUri], "the page is one self-contained file");
        (await page.Locator("h1").InnerTextAsync()).Should().Be("What the messages did");
        (await page.Locator(".verdict").InnerTextAsync()).Should().Be(report.Triggers[0].Verdict);
        (await page.Locator("script").CountAsync()).Should().Be(0);
        var charts = page.Locator("svg");
        (await charts.CountAsync()).Should().Be(2, "the uplift of every trigger, and the birthday's purchases by day since the send");
        foreach (var chart in await charts.AllAsync()) (await chart.BoundingBoxAsync())!.Height.Should().BeGreaterThan(150, "a chart is drawn at a readable size");
        (await page.Locator("table").Nth(1).InnerTextAsync()).Should().Contain("EUR").And.Contain("25.00");
        new FileInfo(screenshot).Length.Should().BeGreaterThan(10_000);
    }

    public void Dispose()
    {
        _folder.Dispose();
        GC.SuppressFinalize(this);
    }
}

[Trait(Peers.Trait, Peers.Value)]
public sealed class SqliteOutcomeReportTests : OutcomeReportTests
{
    protected override Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync(TempFolder folder) => TestStores.SqliteAsync(folder);
}

[Trait(Peers.Trait, Peers.Value)]
public sealed class CosmosOutcomeReportTests : OutcomeReportTests
{
    protected override Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync(TempFolder folder) => TestStores.CosmosAsync();
}
