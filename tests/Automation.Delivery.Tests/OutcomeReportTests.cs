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

    /// <summary>40 birthdays on 15 June, half held out; every messaged customer buys on 18 June, a held-out one only on the birthday itself.</summary>
    private async Task<(Pipeline Pipeline, List<MessageRecord> Decisions)> PlannedAndBoughtAsync()
    {
        var pipeline = new Pipeline(_folder, await StoreSettingsAsync(_folder), ("Automation:Triggers:Birthday:HoldoutPercent", "50"));
        await pipeline.AddCelebratingCustomersAsync(40);
        await pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false);
        pipeline.Clock.Now = Pipeline.SendTime;
        await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);
        var decisions = await pipeline.AllMessagesAsync(40);
        await pipeline.Store.ApplyAsync(decisions.Select(ProfileChange (d, i) => TestChanges.Line(d.CustomerId.Value, $"T-{i}", 25m, line: "1",
            day: d.Status == MessageStatus.HeldOut ? Pipeline.Birthday : Pipeline.Birthday.PlusDays(3))).ToList());
        return (pipeline, decisions);
    }

    [Fact]
    public async Task Messaged_and_held_out_customers_are_compared_on_purchases_after_the_planned_day_within_the_window()
    {
        var (pipeline, decisions) = await PlannedAndBoughtAsync();
        await using var _ = pipeline;
        var messaged = decisions.Count(d => d.Status == MessageStatus.Sent);
        var heldOut = decisions.Count(d => d.Status == MessageStatus.HeldOut);
        (messaged, heldOut).Should().Match<(int, int)>(g => g.Item1 > 5 && g.Item2 > 5, "a 50% holdout over 40 customers");

        var report = await pipeline.Get<OutcomeReport>().BuildAsync(new OutcomeQuery(new LocalDate(2026, 6, 1), new LocalDate(2026, 6, 30), new LocalDate(2026, 7, 10), 14));

        var birthday = report.Triggers.Should().ContainSingle().Subject;
        (birthday.Trigger, birthday.Planned, birthday.Messaged, birthday.HeldOut, birthday.Pending).Should().Be(("birthday", 40L, (long)messaged, (long)heldOut, 0L));
        birthday.Conversion.Should().Be(new Conversion(1.0, 0.0), "a purchase on the planned day itself is not after it");
        birthday.Uplift!.Absolute.Should().Be(1.0);
        birthday.Uplift.Low.Should().BePositive();
        birthday.Uplift.IncrementalPurchases.Should().Be(messaged);
        birthday.Verdict.Should().StartWith("Birthday mails raised the 14-day purchase rate from 0.0% to 100.0%");
        birthday.ByLocale.Should().ContainSingle().Which.Locale.Should().Be("it-IT");
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
