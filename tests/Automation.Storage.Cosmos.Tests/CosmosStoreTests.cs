using Automation.Ingestion;
using Automation.Profiles.Storage;
using Automation.Testing;
using Xunit;

namespace Automation.Storage.Cosmos.Tests;

/// <summary>The store contract, unchanged, against the Cosmos DB implementation on the test server.</summary>
[Trait(Peers.Trait, Peers.Value)]
public sealed class CosmosStoreTests : ProfileStoreContract, IAsyncLifetime
{
    private readonly List<CosmosStore> _stores = [];
    private CosmosTestServer _server = null!;

    public async Task InitializeAsync() => _server = await CosmosTestServer.GetAsync();

    protected override (ICustomerProfileStore Store, IIngestionLedger Ledger) CreateStore()
    {
        var store = new CosmosStore(_server);
        _stores.Add(store);
        return (store.Get<ICustomerProfileStore>(), store.Get<IIngestionLedger>());
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _stores) await store.DisposeAsync();
    }
}
