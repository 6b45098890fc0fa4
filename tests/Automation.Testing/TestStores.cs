using Xunit;

namespace Automation.Testing;

/// <summary>The settings that select and locate each store backend, for the suites every backend runs.</summary>
public static class TestStores
{
    /// <summary>Every store backend, for theories that run on each: <c>[MemberData(nameof(TestStores.Backends), MemberType = typeof(TestStores))]</c>.</summary>
    public static TheoryData<string> Backends => ["sqlite", "cosmos"];

    public static Task<IReadOnlyDictionary<string, string?>> SqliteAsync(TempFolder folder, string name = "store") =>
        Task.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?> { ["Automation:Storage:Sqlite:DataDirectory"] = folder.File(name) });

    /// <summary>A fresh store on <paramref name="backend"/>, <c>sqlite</c> (in <paramref name="folder"/>) or <c>cosmos</c>.</summary>
    public static async Task<IReadOnlyDictionary<string, string?>> ForBackendAsync(string backend, TempFolder folder, string name = "store") => backend switch
    {
        "cosmos" => await CosmosAsync(),
        "sqlite" => await SqliteAsync(folder, name),
        _ => throw new ArgumentException($"No store backend '{backend}': sqlite or cosmos.", nameof(backend)),
    };

    /// <summary>A fresh database on the shared test server.</summary>
    public static async Task<IReadOnlyDictionary<string, string?>> CosmosAsync() => (await CosmosTestServer.GetAsync()).Settings();
}
