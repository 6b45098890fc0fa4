using Automation.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Automation.Storage.Cosmos.Tests;

/// <summary>A Cosmos DB store on a fresh database of the test server, composed as the hosts compose it.</summary>
internal sealed class CosmosStore : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public CosmosStore(CosmosTestServer server, IClock? clock = null, params (string Key, string Value)[] settings)
    {
        var values = server.Settings();
        foreach (var (key, value) in settings) values[key] = value;
        var services = new ServiceCollection();
        if (clock is not null) services.AddSingleton(clock);
        _services = services.AddCosmosStore(new ConfigurationBuilder().AddInMemoryCollection(values).Build()).BuildServiceProvider();
    }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public IServiceProvider Services => _services;

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
