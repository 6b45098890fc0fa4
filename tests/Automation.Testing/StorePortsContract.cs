using Automation.Planning.Days;
using Automation.Churn;
using Automation.Churn.BgNbd;
using Automation.Churn.Training;
using Automation.ContextSources.Areas;
using Automation.ContextSources.Pollen;
using Automation.Planning;
using Automation.Messages;
using Automation.Profiles.Identifiers;
using Automation.Profiles.Storage;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Xunit;

namespace Automation.Testing;

/// <summary>
/// What every store backend must do for the ports beside the profiles: the message log, the planning
/// feed, the context store (forecast areas and the pollen cache) and the churn-model store. A backend's
/// test class inherits this and composes a fresh store as the hosts do; the same facts then hold for
/// SQLite and Cosmos DB alike.
/// </summary>
public abstract class StorePortsContract : IAsyncLifetime
{
    protected static readonly LocalDate Day = new(2026, 6, 15);
    protected static readonly Instant DecidedAt = Instant.FromUtc(2026, 6, 15, 4, 0);
    private readonly CommitRecorder _commits = new();
    private IServiceProvider _store = null!;

    /// <summary>A new, empty store added to <paramref name="services"/> (which hold the clock), as the hosts compose it.</summary>
    protected abstract Task<IServiceProvider> CreateStoreAsync(IServiceCollection services);

    protected T Get<T>() where T : notnull => _store.GetRequiredService<T>();

    private IMessageLog Log => Get<IMessageLog>();

    public async Task InitializeAsync()
    {
        _store = await CreateStoreAsync(new ServiceCollection().AddSingleton<IClock>(new FakeClock(DecidedAt)).AddSingleton<IProfileCommitHook>(_commits));
        _commits.Store = Get<ICustomerProfileStore>();
        await Get<ICustomerProfileStore>().ApplyAsync(
        [
            TestChanges.Customer("C1", TestChanges.At(2024, 1, 1), "customer.c1@example.com"),
            TestChanges.Customer("C2", TestChanges.At(2024, 1, 1), "customer.c2@example.com"),
        ]);
    }

    public async Task DisposeAsync()
    {
        if (_store is IAsyncDisposable disposable) await disposable.DisposeAsync();
    }

    [Fact]
    public async Task Commit_hooks_see_each_merged_profile_changed_or_not_and_follow_only_once_it_is_committed()
    {
        var profiles = Get<ICustomerProfileStore>();
        var newcomer = TestChanges.Customer("C3", TestChanges.At(2024, 2, 1), "customer.c3@example.com");

        await profiles.ApplyAsync([newcomer]);
        await profiles.ApplyAsync([newcomer]);

        _commits.Commits.Should().Equal("C1: committed, C2: committed", "C3: committed", "C3: committed");
    }

    [Fact]
    public async Task Folding_forgets_old_line_identities_per_customer_and_a_folded_line_sent_again_is_a_duplicate()
    {
        var profiles = Get<ICustomerProfileStore>();
        await profiles.ApplyAsync(
        [
            TestChanges.Line("C1", "T-old", 10m, line: "1", day: new LocalDate(2023, 1, 10)),
            TestChanges.Line("C1", "T-new", 5m, line: "1", day: new LocalDate(2024, 6, 1)),
            TestChanges.Line("C2", "T-c2", 7m, line: "1", day: new LocalDate(2024, 6, 1)),
        ]);
        var before = Automation.Profiles.Serialization.ProfileJson.Serialize((await profiles.GetAsync("C1"))!);
        var folding = Get<ILineFolding>();

        (await folding.FoldAsync(Instant.FromUtc(2024, 1, 1, 0, 0))).Should().Be(1);
        (await folding.FoldAsync(Instant.FromUtc(2024, 1, 1, 0, 0))).Should().Be(0, "folding twice folds nothing more");

        (await Get<ICustomerLines>().ReadLinesAsync("C1").Select(l => l.TransactionId).ToListAsync()).Should().Equal("T-new");
        Automation.Profiles.Serialization.ProfileJson.Serialize((await profiles.GetAsync("C1"))!).Should().Be(before, "the aggregates keep what was folded");
        (await profiles.ApplyAsync([TestChanges.Line("C1", "T-old", 10m, line: "1", day: new LocalDate(2023, 1, 10), source: new("sha256:reexport", 9))]))
            .Should().Be(new ApplyResult(0, 1));
        (await profiles.ApplyAsync([TestChanges.Line("C1", "T-older", 3m, line: "1", day: new LocalDate(2022, 5, 5))]))
            .Should().Be(new ApplyResult(0, 1), "before the fold point, a line cannot be told from a replay, and counting twice is what must not happen");
        (await profiles.ApplyAsync([TestChanges.Line("C2", "T-c2-old", 4m, line: "1", day: new LocalDate(2022, 5, 5))]))
            .Should().Be(new ApplyResult(1, 0), "C2's lines were never folded: its late history still counts");
        (await profiles.ApplyAsync([TestChanges.Line("C1", "T-later", 6m, line: "1", day: new LocalDate(2024, 2, 1))]))
            .Should().Be(new ApplyResult(1, 0));
    }

    /// <summary>Each commit's merged customers, and whether a separate read found them when the followers ran.</summary>
    private sealed class CommitRecorder : IProfileCommitHook
    {
        public ICustomerProfileStore? Store { get; set; }
        public List<string> Commits { get; } = [];

        public IProfileCommitFollower Start() => new Follower(this);

        private sealed class Follower(CommitRecorder recorder) : IProfileCommitFollower
        {
            private readonly List<string> _merged = [];

            public void Merged(Automation.Profiles.Model.CustomerProfile profile)
            {
                lock (_merged) _merged.Add(profile.CustomerId);
            }

            public async Task CommittedAsync(CancellationToken cancellationToken)
            {
                var seen = new List<string>();
                foreach (var id in _merged.Distinct().Order(StringComparer.Ordinal))
                {
                    seen.Add($"{id}: {(await recorder.Store!.GetAsync(id, cancellationToken) is null ? "not yet stored" : "committed")}");
                }

                _merged.Clear();
                recorder.Commits.Add(string.Join(", ", seen));
            }
        }
    }

    [Fact]
    public async Task A_days_plan_records_add_up_over_its_passes_and_a_pass_saved_again_replaces_its_own()
    {
        var records = Get<IPlanRecords>();
        var day = new LocalDate(2026, 11, 23);
        var sendAt = Instant.FromUtc(2026, 11, 23, 8, 0);
        PlanRecord Record(long planned, long capped) => PlanRecord.From(
            [new PlanCount("birthday", "it-IT", "planned", null, planned), new PlanCount("birthday", "it-IT", "suppressed", "frequency_cap", capped)],
            [new PlanSample($"m{planned:x4}", "birthday", "it-IT", sendAt)],
            [new PlanGap("birthday", "first_name", capped)]);

        (await records.ReadAsync(day)).Should().BeNull("nothing was planned");
        await records.SaveAsync(day, "2026-11-22T05:00:00Z range-a", Record(3, 1));
        await records.SaveAsync(day, "2026-11-22T05:00:00Z range-b", Record(9, 9));
        await records.SaveAsync(day, "2026-11-22T05:00:00Z range-b", Record(5, 2));
        var read = (await records.ReadAsync(day))!;

        read.Counts.Should().Equal(new PlanCount("birthday", "it-IT", "planned", null, 8), new PlanCount("birthday", "it-IT", "suppressed", "frequency_cap", 3));
        read.Samples.Select(s => s.MessageId).Should().BeEquivalentTo(["m0003", "m0005"]);
        read.Samples[0].SendAt.Should().Be(sendAt);
        read.Gaps.Should().Equal(new PlanGap("birthday", "first_name", 3));
        (await records.ReadAsync(day.PlusDays(1))).Should().BeNull();
    }

    [Fact]
    public async Task A_message_is_created_once_and_only_a_suppressed_decision_is_replaced()
    {
        var suppressed = Message("m01", "C1", MessageStatus.Suppressed) with { ReasonCode = new ReasonCode("no_opt_in") };
        (await Log.RecordAsync([suppressed])).Should().Equal(true);

        var planned = Message("m01", "C1", MessageStatus.Planned);
        (await Log.RecordAsync([planned])).Should().Equal([true], "a suppressed decision may become a message, e.g. after an opt-in");
        (await Log.RecordAsync([planned with { Reason = "a second plan" }])).Should().Equal([false], "a planned message is never made twice");

        var stored = await Log.GetCustomerMessagesAsync(new("C1"));
        stored.Should().ContainSingle().Which.Should().Match<MessageRecord>(m => m.Status == MessageStatus.Planned && m.Reason == planned.Reason);
    }

    [Fact]
    public async Task Of_one_batch_only_the_new_messages_are_written_and_the_answer_says_which()
    {
        await Log.RecordAsync([Message("m10", "C1", MessageStatus.Planned)]);

        var written = await Log.RecordAsync([Message("m10", "C1", MessageStatus.Planned), Message("m11", "C2", MessageStatus.HeldOut)]);

        written.Should().Equal(false, true);
        (await Log.GetAsync(new("C2"), new("m11")))!.Status.Should().Be(MessageStatus.HeldOut);
        (await Log.GetAsync(new("C2"), new("m10"))).Should().BeNull("a message is read under its own customer only");
        (await Log.GetAsync(new("C1"), new("m404"))).Should().BeNull();
    }

    [Fact]
    public async Task The_plan_reads_each_customer_with_the_decisions_indexed_in_its_profile()
    {
        await Log.RecordAsync([Message("m02", "C1", MessageStatus.Planned), Message("m03", "C1", MessageStatus.HeldOut)]);

        var customers = await ReadFeedAsync();

        customers.Select(c => c.Profile.CustomerId).Should().BeEquivalentTo(["C1", "C2"]);
        customers.Single(c => c.Profile.CustomerId == "C1").History.Select(h => (h.MessageId.Value, h.Status))
            .Should().BeEquivalentTo([("m02", MessageStatus.Planned), ("m03", MessageStatus.HeldOut)]);
        customers.Single(c => c.Profile.CustomerId == "C2").History.Should().BeEmpty();
    }

    [Fact]
    public async Task The_feed_s_ranges_hold_every_customer_exactly_once()
    {
        var ids = Enumerable.Range(0, 120).Select(i => $"F{i:D4}").ToList();
        await Get<ICustomerProfileStore>().ApplyAsync(ids.Select(id => TestChanges.Customer(id, TestChanges.At(2024, 1, 1), $"{id.ToLowerInvariant()}@example.com")).ToList());

        var read = (await ReadFeedAsync()).Select(c => c.Profile.CustomerId).ToList();

        read.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(ids.Append("C1").Append("C2"));
    }

    [Fact]
    public async Task Delivery_sees_planned_and_failed_messages_until_they_are_sent()
    {
        await Log.RecordAsync([Message("m04", "C1", MessageStatus.Planned), Message("m05", "C2", MessageStatus.Planned), Message("m06", "C2", MessageStatus.Suppressed)]);
        await Log.RecordAsync([Message("m07", "C2", MessageStatus.Planned) with { PlannedFor = Day.PlusDays(1) }]);

        (await Undelivered()).Should().BeEquivalentTo(["m04", "m05"], "only messages planned up to the day, and not the suppressed one");

        var sent = (await Log.GetCustomerMessagesAsync(new("C1"))).Single();
        await Log.UpdateStatusAsync(sent, MessageStatus.Sent, null, "outbox/m04.eml", DecidedAt.Plus(Duration.FromHours(1)));
        var failed = (await Log.GetCustomerMessagesAsync(new("C2"))).Single(m => m.MessageId == new MessageId("m05"));
        await Log.UpdateStatusAsync(failed, MessageStatus.Failed, null, "connection refused", DecidedAt.Plus(Duration.FromHours(1)));

        (await Undelivered()).Should().BeEquivalentTo(["m05"], "a failed message is tried again, a sent one never");
        (await ReadFeedAsync()).Single(c => c.Profile.CustomerId == "C1").History.Single().Status.Should().Be(MessageStatus.Sent);
    }

    [Fact]
    public async Task A_provider_report_finds_its_message_by_id_alone_and_counts_once()
    {
        await Log.RecordAsync([Message("m08", "C2", MessageStatus.Planned)]);
        // As delivery hands a message over: marked sending before the request, sent after it.
        await Log.UpdateStatusAsync((await Log.GetAsync(new("C2"), new("m08")))!, MessageStatus.Sending, null, null, DecidedAt.Plus(Duration.FromHours(1)));
        await Log.UpdateStatusAsync((await Log.GetAsync(new("C2"), new("m08")))!, MessageStatus.Sent, null, "sent", DecidedAt.Plus(Duration.FromHours(1)));

        var found = await Log.FindAsync(new("m08"));
        found!.CustomerId.Should().Be(new CustomerId("C2"));
        var delivered = new MessageEvent(DeliveryEventTypes.Delivered, DecidedAt.Plus(Duration.FromHours(2)), "ev-1", null);

        (await Log.ApplyEventAsync(found, delivered))!.Status.Should().Be(MessageStatus.Delivered);
        (await Log.ApplyEventAsync((await Log.FindAsync(new("m08")))!, delivered)).Should().BeNull("the same report again changes nothing");
        (await Log.GetAsync(new("C2"), new("m08")))!.Events.Should().ContainSingle();
        (await Log.FindAsync(new("m404"))).Should().BeNull();
    }

    [Fact]
    public async Task Forecast_areas_are_kept_once_and_an_area_already_kept_stays_as_it_is()
    {
        var areas = Get<IForecastAreaStore>();
        var zurich = new ForecastArea("CH", 473, 85);
        var rome = new ForecastArea("IT", 418, 124);

        await areas.AddAreasAsync([zurich]);
        await areas.AddAreasAsync([zurich, rome]);

        (await areas.ReadAreasAsync().ToListAsync()).Should().BeEquivalentTo([zurich, rome]);
    }

    [Fact]
    public async Task The_pollen_cache_keeps_one_answer_per_area_and_day_the_latest()
    {
        var cache = Get<IPollenForecastCache>();
        var failed = new AreaPollen("CH:47.35,8.55", Day, "open-meteo", ForecastStatus.Failed, new Dictionary<string, double>(), "timeout", DecidedAt);
        var answered = new AreaPollen("CH:47.35,8.55", Day, "open-meteo", ForecastStatus.Available, new Dictionary<string, double> { ["grass"] = 42, ["birch"] = 3 }, null, DecidedAt.Plus(Duration.FromHours(1)));
        var nextDay = answered with { Date = Day.PlusDays(1), Levels = new Dictionary<string, double> { ["grass"] = 7 } };

        await cache.SaveAsync([failed]);
        await cache.SaveAsync([answered, nextDay]);

        var read = (await cache.ReadAsync(Day)).Should().ContainSingle().Subject;
        read.Status.Should().Be(ForecastStatus.Available);
        read.Levels.Should().BeEquivalentTo(answered.Levels);
        read.FetchedAt.Should().Be(answered.FetchedAt);
        (await cache.ReadAsync(Day.PlusDays(1))).Single().Levels["grass"].Should().Be(7);
        (await cache.ReadAsync(Day.PlusDays(2))).Should().BeEmpty();
    }

    [Fact]
    public async Task The_churn_model_store_has_none_before_the_first_fit_and_then_the_latest()
    {
        var models = Get<IChurnModelStore>();
        (await models.LoadLatestAsync()).Should().BeNull();

        await models.SaveAsync(Model(DecidedAt.Minus(Duration.FromDays(7)), r: 0.24));
        await models.SaveAsync(Model(DecidedAt, r: 0.31));

        var latest = await models.LoadLatestAsync();
        latest!.FittedAt.Should().Be(DecidedAt);
        latest.Purchases.Parameters.R.Should().Be(0.31);
    }

    private static ChurnModel Model(Instant fittedAt, double r) => new(
        fittedAt, fittedAt.InUtc().Date, new BgNbdFit(new BgNbdParameters(r, 4.4, 0.79, 2.4), -9582.4, 1e-6, 2357, 1100, 31), null, null, "no spend model in this test");

    private async Task<List<string>> Undelivered() => await Log.ReadUndeliveredAsync(Day).Select(m => m.MessageId.Value).ToListAsync();

    private async Task<List<PlanningCustomer>> ReadFeedAsync()
    {
        var customers = new List<PlanningCustomer>();
        var feed = Get<IPlanningFeed>();
        foreach (var range in await feed.GetRangesAsync()) customers.AddRange(await feed.ReadRangeAsync(range, DecidedAt.Plus(Duration.FromDays(1))).ToListAsync());
        return customers;
    }

    protected static MessageRecord Message(string id, string customerId, MessageStatus status) => new(
        new MessageId(id), new CustomerId(customerId), new TriggerName("birthday"), "birthday:2026", "birthday", Day, DecidedAt.Plus(Duration.FromHours(5)), status, null,
        "birthday today", new Dictionary<string, string> { ["age"] = "36" }, DecidedAt);
}
