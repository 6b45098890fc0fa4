using Xunit;
using Automation.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Automation.Storage.Cosmos.Tests;

[Trait(Peers.Trait, Peers.Value)]
public sealed class CosmosStorePortsTests : StorePortsContract
{
    protected override async Task<IServiceProvider> CreateStoreAsync(IClock clock)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection((await CosmosTestServer.GetAsync()).Settings()).Build();
        return new ServiceCollection().AddSingleton(clock).AddCosmosStore(configuration).BuildServiceProvider();
    }
}
