using Automation.Profiles.Identifiers;
using Automation.Hosting.Work;
using Automation.Ingestion;
using Automation.Planning.Days;
using Automation.Messages;
using Automation.Planning.Policies;
using Automation.Testing;
using FluentAssertions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Xunit;

namespace Automation.Hosting.Tests;

/// <summary>
/// The Functions app's path (PlanDay fans out one work item per feed range, PlanShard plans one and
/// hands delivery batches on, DeliverMessages sends a batch), run through its queue messages' JSON,
/// against the in-process plan of the CLI and automation serve.
/// </summary>
[Trait(Peers.Trait, Peers.Value)]
public sealed class ScaledOutPlanTests : IDisposable
{
    private static readonly Instant Now = SamplePipeline.Now;
    private static readonly LocalDate Day = SamplePipeline.Day;
    private static readonly Instant DeliveryTime = SamplePipeline.DeliveryTime;
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [MemberData(nameof(TestStores.Backends), MemberType = typeof(TestStores))]
    public async Task Planning_range_by_range_through_queue_messages_ends_as_the_plan_in_one_process_does(string backend)
    {
        var inProcess = new List<string>();
        await using var reference = await ComposeAsync(backend, "reference", inProcess);
        var jobs = reference.GetRequiredService<PipelineJobs>();
        await jobs.PlanAsync(Day);
        ((FakeClock)reference.GetRequiredService<IClock>()).Now = DeliveryTime;
        await jobs.DeliverDueAsync(Day);

        var scaledOut = new List<string>();
        await using var services = await ComposeAsync(backend, "scaled-out", scaledOut);
        jobs = services.GetRequiredService<PipelineJobs>();
        var day = await jobs.StartOwedDaysAsync();
        day.Days.Should().Equal([Day], "a new store owes the day ahead only");
        day.Shards.Should().NotBeEmpty().And.OnlyContain(shard => shard.Date == Day && shard.PassStart == Now);
        (await jobs.StartOwedDaysAsync()).Shards.Should().BeEquivalentTo(day.Shards,
            "until its ranges are planned the day is owed: work a queue lost is handed out again, and planning it twice makes nothing twice");
        var deliveries = new List<string>();
        foreach (var shard in day.Shards.Select(WorkJson.Serialize))
        {
            (await jobs.OwedDaysAsync()).Should().Contain(Day, "a range is still to plan");
            var outcome = await jobs.PlanShardAsync(WorkJson.Deserialize<PlanShardWork>(shard));
            deliveries.AddRange(outcome.Deliveries.Select(WorkJson.Serialize));
        }

        (await jobs.OwedDaysAsync()).Should().NotContain(Day, "the day is planned once its last range is");
        (await jobs.StartOwedDaysAsync()).Shards.Should().BeEmpty();

        ((FakeClock)services.GetRequiredService<IClock>()).Now = DeliveryTime;
        (await jobs.DeliverAsync(WorkJson.Deserialize<DeliveryWork>(WorkJson.Serialize(day.Sweep)))).Sent.Should().Be(0, "the sweep leaves the planned day's messages to their batches");
        foreach (var delivery in deliveries) await jobs.DeliverAsync(WorkJson.Deserialize<DeliveryWork>(delivery));
        // What was not due at the plan (the outbox cannot hold a message back) goes when it falls due.
        (await jobs.DeliverWaitingAsync()).Sent.Should().BePositive();
        (await jobs.DeliverWaitingAsync()).Sent.Should().Be(0);
        // A queue may hand a message over twice (a worker died after sending, before deleting it).
        foreach (var delivery in deliveries) (await jobs.DeliverAsync(WorkJson.Deserialize<DeliveryWork>(delivery))).Sent.Should().Be(0);

        inProcess.Should().NotBeEmpty();
        scaledOut.Should().BeEquivalentTo(inProcess).And.OnlyHaveUniqueItems();
        (await StoreSnapshot.TakeAsync(services)).Should().Equal(await StoreSnapshot.TakeAsync(reference));
    }

    [Theory]
    [MemberData(nameof(TestStores.Backends), MemberType = typeof(TestStores))]
    public async Task A_missed_day_is_planned_late_once_for_the_windows_still_open_and_the_day_ahead_with_it(string backend)
    {
        await using var services = await ComposeAsync(backend, "missed", []);
        var jobs = services.GetRequiredService<PipelineJobs>();
        var clock = (FakeClock)services.GetRequiredService<IClock>();
        (await jobs.OwedDaysAsync()).Should().Equal([Day]);
        // The 23rd was planned, by a plan that found nothing to send (recorded as a plan records it).
        await services.GetRequiredService<IPlannedDays>().MarkAsync(Day, Now);

        // No plan ran on the 23rd, whose job was the 24th; at 20:30 UTC on the 24th the day is over in Asia and Europe, not in New York.
        clock.Now = Instant.FromUtc(2026, 11, 24, 20, 30);
        var owed = await jobs.OwedDaysAsync();
        owed.Should().Equal(Day.PlusDays(1), Day.PlusDays(2));
        var late = await jobs.PlanAsync(owed[0]);

        late.Late.Should().BeTrue();
        var log = services.GetRequiredService<IMessageLog>();
        var ofTheDay = new List<MessageRecord>();
        foreach (var id in Enumerable.Range(1, 41).Select(i => $"C{i:0000000}")) ofTheDay.AddRange((await log.GetCustomerMessagesAsync(new CustomerId(id))).Where(m => m.PlannedFor == owed[0]));
        ofTheDay.Should().NotBeEmpty();
        ofTheDay.Where(m => m.Status == MessageStatus.Planned).Should().OnlyContain(m => m.SendAt >= clock.Now);
        ofTheDay.Where(m => m.ReasonCode == ReasonCodes.SendWindowPassed).Should().OnlyContain(m => m.Detail!.Contains("the plan was late"));
        late.Suppressed.GetValueOrDefault(ReasonCodes.SendWindowPassed.Value).Should().BePositive("customers in Asia and Europe lost the 24th");
        (await jobs.OwedDaysAsync()).Should().Equal([Day.PlusDays(2)], "a day is planned once");
    }

    [Theory]
    [MemberData(nameof(TestStores.Backends), MemberType = typeof(TestStores))]
    public async Task A_day_planned_range_by_range_is_planned_when_its_last_range_is_whatever_order_or_repeats(string backend)
    {
        await using var services = await ComposeAsync(backend, "ranges", []);
        var days = services.GetRequiredService<IPlannedDays>();
        var other = Day.PlusDays(1);

        await Task.WhenAll(new[] { "r2", "r1", "r2" }.Select(range => Task.Run(() => days.MarkRangeAsync(Day, range, 3, Now))));
        await days.MarkRangeAsync(other, "r1", 2, Now);
        (await days.ReadAsync()).Should().BeEmpty("a range done twice is one range, and each day counts its own");

        await days.MarkRangeAsync(Day, "r3", 3, Now);
        (await days.ReadAsync()).Should().Equal([Day]);
        await days.MarkRangeAsync(Day, "r1", 3, Now);
        await days.MarkRangeAsync(other, "r2", 2, Now);
        (await days.ReadAsync()).Should().BeEquivalentTo([Day, other]);
    }

    [Theory]
    [InlineData("{\"date\":\"22 November\",\"range\":\"all\",\"passStart\":\"2026-11-22T05:30:00Z\"}")]
    [InlineData("{\"date\":\"2026-11-22\",\"passStart\":\"2026-11-22T05:30:00Z\"}")]
    [InlineData("{\"date\":\"2026-11-22\",\"range\":null,\"passStart\":\"2026-11-22T05:30:00Z\"}")]
    [InlineData("not json")]
    public void A_queue_message_that_is_not_a_work_item_is_refused_with_a_reason(string message)
    {
        var act = () => WorkJson.Deserialize<PlanShardWork>(message);

        act.Should().Throw<FormatException>().WithMessage("The queue message is not a PlanShardWork: *");
    }

    [Fact]
    public void Work_items_read_back_as_written()
    {
        var shard = new PlanShardWork(new LocalDate(2026, 11, 22), "{\"Range\":{\"min\":\"\",\"max\":\"FF\"}}", Now, 4);
        var batch = new DeliveryWork(Day, [new(new CustomerId("C000001"), new MessageId("m0123"))]);

        WorkJson.Deserialize<PlanShardWork>(WorkJson.Serialize(shard)).Should().Be(shard);
        WorkJson.Deserialize<DeliveryWork>(WorkJson.Serialize(batch)).Messages.Should().Equal(batch.Messages);
        WorkJson.Serialize(shard).Should().Contain("\"date\":\"2026-11-22\"").And.Contain("\"passStart\":\"2026-11-22T05:30:00Z\"");
        WorkJson.Serialize(batch).Should().Contain("{\"customerId\":\"C000001\",\"messageId\":\"m0123\"}",
            "typed ids go on the queue as their text, so batches queued before the types existed still read");
    }

    /// <summary>The pipeline as every host composes it, on the sample settings, with the sample exports ingested.</summary>
    private async Task<ServiceProvider> ComposeAsync(string backend, string name, List<string> handedOver)
    {
        var samples = Path.Combine(SharedData.RepositoryRoot, "samples");
        var configuration = SamplePipeline.Configuration(_folder, await TestStores.ForBackendAsync(backend, _folder, name), name, ("Automation:Delivery:BatchSize", "2"));
        var services = new ServiceCollection().AddSingleton<IClock>(new FakeClock(Now)).AddLogging().AddAutomation(configuration)
            .RecordHandOvers(handedOver)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        services.ValidateAutomationSettings();
        var inbox = Directory.CreateDirectory(_folder.File(name + "-inbox")).FullName;
        foreach (var export in new[] { "customers.csv", "transactions.csv", "consents.csv" })
        {
            File.Copy(Path.Combine(samples, "inbox", export), Path.Combine(inbox, export));
            (await services.GetRequiredService<PipelineJobs>().IngestAsync(new LocalExportFile(Path.Combine(inbox, export)))).Status.Should().Be(FileStatus.Completed);
        }

        return services;
    }
}
