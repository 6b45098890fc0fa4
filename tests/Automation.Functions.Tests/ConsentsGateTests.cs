using Automation.Functions.Delivery;
using Automation.Hosting;
using Automation.Hosting.Work;
using Automation.Testing;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Functions.Tests;

/// <summary>
/// A consents export that fails part-way in the Functions app: PlanDay queues no work, a plan shard and
/// a delivery batch fail so the queue offers them again, and a complete file of the same name opens the
/// day again.
/// </summary>
[Collection(OneAtATime.Name)]
[Trait(Peers.Trait, Peers.Value)]
public sealed class ConsentsGateTests : IDisposable
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 22, 5, 30);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [MemberData(nameof(TestStores.Backends), MemberType = typeof(TestStores))]
    public async Task A_truncated_consents_export_stops_PlanDay_and_delivery_until_the_same_name_arrives_complete(string backend)
    {
        await using var host = await FunctionsTestHost.StartOnAsync(backend, _folder, Now);
        await host.DropSampleExportsAsync("customers.csv", "transactions.csv");

        var consents = Gzip.Compress(await File.ReadAllBytesAsync(FunctionsMetadata.RepositoryFile("samples", "inbox", "consents.csv")));
        await host.DropExportAsync("consents.csv.gz", new MemoryStream(Gzip.Truncated(consents)));

        await host.FireTimerAsync("PlanDay");
        (await host.PeekAsync("plan-shards")).Should().BeEmpty();
        (await host.PeekAsync("deliveries")).Should().BeEmpty("not even the sweep of earlier days");

        await host.Queue("plan-shards").SendMessageAsync(WorkJson.Serialize(new PlanShardWork(new LocalDate(2026, 11, 23), "all", Now)));
        var shard = () => host.DrainAsync("plan-shards");
        (await shard.Should().ThrowAsync<ConsentsGateClosedException>()).Which.Message.Should().Contain("consents.csv.gz");
        await host.Queue("plan-shards").ClearMessagesAsync();
        await host.Queue("deliveries").SendMessageAsync(WorkJson.Serialize(new DeliveryWork(new LocalDate(2026, 11, 21), null)));
        var delivery = () => host.DrainAsync("deliveries");
        (await delivery.Should().ThrowAsync<ConsentsGateClosedException>()).Which.Message.Should().Contain("consents.csv.gz");

        await host.DropExportAsync("consents.csv.gz", new MemoryStream(consents));
        await host.FireTimerAsync("PlanDay");
        (await host.DrainAsync("plan-shards")).Should().BePositive();
        await host.DrainAsync("deliveries");
        // 23 November, the day planned ahead, inside the European and Asian customers' send windows.
        host.Clock.Now = Instant.FromUtc(2026, 11, 23, 10, 30);
        await host.FireTimerAsync("DeliverDue");
        Directory.GetFiles(_folder.File("outbox"), "*.eml").Should().NotBeEmpty();
    }
}
