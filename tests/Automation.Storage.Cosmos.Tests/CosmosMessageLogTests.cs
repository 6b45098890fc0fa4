using System.Text;
using Automation.Planning;
using Automation.Messages;
using Automation.Profiles.Storage;
using Automation.Testing;
using FluentAssertions;
using Microsoft.Azure.Cosmos;
using NodaTime;
using Xunit;

namespace Automation.Storage.Cosmos.Tests;

/// <summary>The message log's Cosmos DB specifics: the delivery queue and request units (what every store does is in <see cref="StorePortsContract"/>).</summary>
[Trait(Peers.Trait, Peers.Value)]
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
        var meter = _store.Get<CosmosUsageMeter>();
        using var metrics = new MetricRecorder(_store.Services);
        var before = meter.Current;

        await _store.Get<ICustomerProfileStore>().GetAsync("C1");

        // The test server charges 1 RU per request; Cosmos DB charges about 1 RU per point read of 1 KB.
        (meter.Current - before).RequestUnits.Should().BeGreaterThanOrEqualTo(1);
        metrics.Sum("automation.cosmos.request_units").Should().Be(meter.Current.RequestUnits, "telemetry reads the same meter");
    }

    private async Task<List<string>> Undelivered() => await Log.ReadUndeliveredAsync(Day).Select(m => m.MessageId.Value).ToListAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();
}
