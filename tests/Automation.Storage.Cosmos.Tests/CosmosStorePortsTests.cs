using Xunit;
using Automation.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Storage.Cosmos.Tests;

[Trait(Peers.Trait, Peers.Value)]
public sealed class CosmosStorePortsTests : StorePortsContract
{
    protected override async Task<IServiceProvider> CreateStoreAsync(IServiceCollection services)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection((await CosmosTestServer.GetAsync()).Settings()).Build();
        return services.AddCosmosStore(configuration).BuildServiceProvider();
    }
}
