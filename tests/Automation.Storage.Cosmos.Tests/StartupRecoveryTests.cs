using Automation.Profiles.Storage;
using Automation.Testing;
using FluentAssertions;
using Xunit;

namespace Automation.Storage.Cosmos.Tests;

/// <summary>A long-lived host (serve, a warm Functions instance) whose store was out of reach when it started.</summary>
[Trait(Peers.Trait, Peers.Value)]
public sealed class StartupRecoveryTests
{
    [Fact]
    public async Task A_store_whose_first_connection_fails_prepares_its_containers_on_the_next_call()
    {
        var server = await CosmosTestServer.GetAsync();
        await using var proxy = new TcpProxy(server.Port) { Dropping = true };
        await using var store = new CosmosStore(server, null,
            ("Automation:Cosmos:ConnectionString", server.ConnectionString.Replace($":{server.Port}/", $":{proxy.Port}/", StringComparison.Ordinal)));
        var profiles = store.Get<ICustomerProfileStore>();

        var whileUnreachable = () => profiles.GetAsync("C1");
        await whileUnreachable.Should().ThrowAsync<Exception>();
        proxy.Dropped.Should().BePositive();

        proxy.Dropping = false;
        await profiles.ApplyAsync([TestChanges.Customer("C1", TestChanges.At(2024, 1, 1), "ada@example.com")]);
        (await profiles.GetAsync("C1"))!.Email.Should().Be("ada@example.com");
    }
}
