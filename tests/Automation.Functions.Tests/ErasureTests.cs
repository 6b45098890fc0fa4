using System.Text;
using System.Text.Json;
using Automation.Profiles.Erasure;
using Automation.Profiles.Storage;
using Automation.Testing;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Xunit;

namespace Automation.Functions.Tests;

/// <summary>
/// Erasure in the Functions app: an <c>erasures</c> export dropped into blob storage erases its customers
/// like any export lands, and keeps them out; the daily PlanDay timer runs the retention pass.
/// </summary>
[Collection(OneAtATime.Name)]
[Trait(Peers.Trait, Peers.Value)]
public sealed class ErasureTests : IDisposable
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 22, 5, 30);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [MemberData(nameof(TestStores.Backends), MemberType = typeof(TestStores))]
    public async Task IngestExport_erases_the_customers_an_erasures_export_names_and_an_old_export_cannot_bring_them_back(string backend)
    {
        await using var host = await FunctionsTestHost.StartOnAsync(backend, _folder, Now);
        var customers = await File.ReadAllBytesAsync(FunctionsMetadata.RepositoryFile("samples", "inbox", "customers.csv"));
        await host.DropExportAsync("customers.csv", new MemoryStream(customers));
        await host.DropSampleExportsAsync("transactions.csv");
        var store = host.Services.GetRequiredService<ICustomerProfileStore>();
        (await store.GetAsync("C0000010")).Should().NotBeNull();

        await host.DropExportAsync("erasures-2026-11-22.csv", new MemoryStream(Encoding.UTF8.GetBytes("customer_id\nC0000010\nC0000011\n")));

        (await store.GetAsync("C0000010")).Should().BeNull();
        (await store.GetAsync("C0000011")).Should().BeNull();
        (await store.GetAsync("C0000012")).Should().NotBeNull();
        (await host.Services.GetRequiredService<ICustomerLines>().ReadLinesAsync("C0000010").ToListAsync()).Should().BeEmpty();
        var report = JsonDocument.Parse((await host.Exports.GetBlobClient("erasures-2026-11-22.csv.report.json").DownloadContentAsync()).Value.Content.ToString()).RootElement;
        report.GetProperty("kind").GetString().Should().Be("erasures");
        report.GetProperty("erasure").GetProperty("profiles").GetInt64().Should().Be(2);
        report.GetProperty("erasure").GetProperty("transactionLines").GetInt64().Should().BePositive();

        // The same rows in a new file (an identical file would be skipped as ingested before).
        await host.DropExportAsync("customers-resent.csv", new MemoryStream([.. customers, .. "\n"u8]));

        (await store.GetAsync("C0000010")).Should().BeNull("the tombstone refuses the old rows");
        var resent = JsonDocument.Parse((await host.Exports.GetBlobClient("customers-resent.csv.report.json").DownloadContentAsync()).Value.Content.ToString()).RootElement;
        resent.GetProperty("erasedRows").GetInt64().Should().Be(2);
        (await host.Services.GetRequiredService<IErasureStore>().IsErasedAsync(new("C0000011"))).Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(TestStores.Backends), MemberType = typeof(TestStores))]
    public async Task PlanDay_runs_the_retention_pass_first_and_erases_customers_inactive_for_longer_than_the_setting(string backend)
    {
        await using var host = await FunctionsTestHost.StartOnAsync(backend, _folder, Now, ("Automation:Retention:InactiveMonths", "12"));
        await host.DropSampleExportsAsync("customers.csv");
        await host.DropExportAsync("customers-archive.csv", new MemoryStream(Encoding.UTF8.GetBytes(
            "customer_id,email,updated_at\nC0000999,long.gone@example.com,2020-01-01T00:00:00Z\n")));
        var store = host.Services.GetRequiredService<ICustomerProfileStore>();
        (await store.GetAsync("C0000999")).Should().NotBeNull();

        await host.FireTimerAsync("PlanDay");

        (await store.GetAsync("C0000999")).Should().BeNull();
        (await host.Services.GetRequiredService<IErasureStore>().IsErasedAsync(new("C0000999"))).Should().BeTrue();
        (await store.GetAsync("C0000001")).Should().NotBeNull("updated within the last twelve months");
        (await host.PeekAsync("plan-shards")).Should().NotBeEmpty("the plan goes on after the pass");
    }
}
