using System.Text;
using Automation.Planning;
using Automation.Planning.Messages;
using Automation.Profiles.Storage;
using Automation.Testing;
using FluentAssertions;
using Microsoft.Azure.Cosmos;
using NodaTime;
using Xunit;

namespace Automation.Storage.Cosmos.Tests;

/// <summary>The message log's Cosmos DB specifics: the profile's message index and the delivery queue.</summary>
public sealed class CosmosMessageLogTests : IAsyncLifetime
{
    private static readonly LocalDate Day = new(2026, 6, 15);
    private static readonly Instant DecidedAt = Instant.FromUtc(2026, 6, 15, 4, 0);
    private CosmosStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new CosmosStore(await CosmosTestServer.GetAsync(), new FakeClock(DecidedAt));
        await _store.Get<ICustomerProfileStore>().ApplyAsync(
        [
            TestChanges.Customer("C1", TestChanges.At(2024, 1, 1), "customer.c1@example.com"),
            TestChanges.Customer("C2", TestChanges.At(2024, 1, 1), "customer.c2@example.com"),
        ]);
    }

    private IMessageLog Log => _store.Get<IMessageLog>();

    [Fact]
    public async Task A_message_is_created_once_and_only_a_suppressed_decision_is_replaced()
    {
        var suppressed = Message("m01", "C1", MessageStatus.Suppressed) with { ReasonCode = "no_opt_in" };
        (await Log.RecordAsync([suppressed])).Should().Equal(true);

        var planned = Message("m01", "C1", MessageStatus.Planned);
        (await Log.RecordAsync([planned])).Should().Equal([true], "a suppressed decision may become a message, e.g. after an opt-in");
        (await Log.RecordAsync([planned with { Reason = "a second plan" }])).Should().Equal([false], "a planned message is never made twice");

        var stored = await Log.GetCustomerMessagesAsync("C1");
        stored.Should().ContainSingle().Which.Should().Match<MessageRecord>(m => m.Status == MessageStatus.Planned && m.Reason == planned.Reason);
    }

    [Fact]
    public async Task The_plan_reads_each_customer_with_the_decisions_indexed_in_its_profile()
    {
        await Log.RecordAsync([Message("m02", "C1", MessageStatus.Planned), Message("m03", "C1", MessageStatus.HeldOut)]);

        var customers = await ReadFeedAsync();

        customers.Select(c => c.Profile.CustomerId).Should().BeEquivalentTo(["C1", "C2"]);
        customers.Single(c => c.Profile.CustomerId == "C1").History.Select(h => (h.MessageId, h.Status))
            .Should().BeEquivalentTo([("m02", MessageStatus.Planned), ("m03", MessageStatus.HeldOut)]);
        customers.Single(c => c.Profile.CustomerId == "C2").History.Should().BeEmpty();
    }

    [Fact]
    public async Task Delivery_sees_planned_and_failed_messages_until_they_are_sent()
    {
        await Log.RecordAsync([Message("m04", "C1", MessageStatus.Planned), Message("m05", "C2", MessageStatus.Planned), Message("m06", "C2", MessageStatus.Suppressed)]);
        await Log.RecordAsync([Message("m07", "C2", MessageStatus.Planned) with { PlannedFor = Day.PlusDays(1) }]);

        (await Undelivered()).Should().BeEquivalentTo(["m04", "m05"], "only messages planned up to the day, and not the suppressed one");

        var sent = (await Log.GetCustomerMessagesAsync("C1")).Single();
        await Log.UpdateStatusAsync(sent, MessageStatus.Sent, null, "outbox/m04.eml", DecidedAt.Plus(Duration.FromHours(1)));
        var failed = (await Log.GetCustomerMessagesAsync("C2")).Single(m => m.MessageId == "m05");
        await Log.UpdateStatusAsync(failed, MessageStatus.Failed, null, "connection refused", DecidedAt.Plus(Duration.FromHours(1)));

        (await Undelivered()).Should().BeEquivalentTo(["m05"], "a failed message is tried again, a sent one never");
        (await ReadFeedAsync()).Single(c => c.Profile.CustomerId == "C1").History.Single().Status.Should().Be(MessageStatus.Sent);
    }

    [Fact]
    public async Task A_queue_entry_left_by_a_crash_before_its_message_was_written_is_dropped_not_sent()
    {
        // What a crash between the two writes leaves: the queue entry without its message.
        var containers = _store.Get<CosmosContainers>();
        var orphan = """{"id":"m08","customerId":"C1","plannedFor":"2026-06-15","status":"planned","data":{}}""";
        using (var queued = await containers.Deliveries.CreateItemStreamAsync(new MemoryStream(Encoding.UTF8.GetBytes(orphan)), new PartitionKey("C1")))
        {
            queued.IsSuccessStatusCode.Should().BeTrue();
        }

        (await Undelivered()).Should().BeEmpty();
        using var gone = await containers.Deliveries.ReadItemStreamAsync("m08", new PartitionKey("C1"));
        gone.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Request_units_of_every_call_are_counted()
    {
        var meter = _store.Get<IStoreUsageMeter>();
        var before = meter.Current;

        await _store.Get<ICustomerProfileStore>().GetAsync("C1");

        // The test server charges 1 RU per request; Cosmos DB charges about 1 RU per point read of 1 KB.
        (meter.Current - before).RequestUnits.Should().BeGreaterThanOrEqualTo(1);
    }

    private async Task<List<string>> Undelivered() => await Log.ReadUndeliveredAsync(Day).Select(m => m.MessageId).ToListAsync();

    private async Task<List<PlanningCustomer>> ReadFeedAsync()
    {
        var customers = new List<PlanningCustomer>();
        var feed = _store.Get<IPlanningFeed>();
        foreach (var range in await feed.GetRangesAsync()) customers.AddRange(await feed.ReadRangeAsync(range, _store.Get<IClock>().GetCurrentInstant()).ToListAsync());
        return customers;
    }

    private static MessageRecord Message(string id, string customerId, MessageStatus status) => new(
        id, customerId, "birthday", "birthday:2026", "birthday", Day, DecidedAt.Plus(Duration.FromHours(5)), status, null,
        "birthday today", new Dictionary<string, string> { ["age"] = "36" }, DecidedAt);

    public async Task DisposeAsync() => await _store.DisposeAsync();
}
