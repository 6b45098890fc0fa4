namespace Automation.Testing;

/// <summary>The settings that select and locate each store backend, for the suites every backend runs.</summary>
public static class TestStores
{
    public static Task<IReadOnlyDictionary<string, string?>> SqliteAsync(TempFolder folder, string name = "store") =>
        Task.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?> { ["Automation:Storage:Sqlite:DataDirectory"] = folder.File(name) });

    /// <summary>A fresh database on the shared test server.</summary>
    public static async Task<IReadOnlyDictionary<string, string?>> CosmosAsync() => (await CosmosTestServer.GetAsync()).Settings();
}
