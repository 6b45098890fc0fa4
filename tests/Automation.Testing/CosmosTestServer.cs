namespace Automation.Testing;

/// <summary>
/// The Cosmos DB server the tests talk to: <c>@vercel/cosmosdb-server</c> (pinned in
/// tests/cosmosdb-server/package-lock.json), installed with <c>npm ci</c> on first use (<see cref="NodeTestPackage"/>) and started once
/// per test process on 127.0.0.1 and a free port. It stops when the test process ends (it exits when
/// its standard input closes). Each store gets its own database, so tests never see each other's data.
/// </summary>
public sealed class CosmosTestServer
{
    // The emulator's published, well-known key: the test server accepts any key, the SDK needs one.
    private const string EmulatorKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";
    private static readonly Lazy<Task<CosmosTestServer>> Shared = new(StartAsync);

    private CosmosTestServer(int port) => Port = port;

    public int Port { get; }

    public string ConnectionString => $"AccountEndpoint=http://127.0.0.1:{Port}/;AccountKey={EmulatorKey};";

    /// <summary>Settings for a fresh, empty database on this server, as a test host would pass them.</summary>
    public Dictionary<string, string?> Settings(string? database = null) => new()
    {
        ["Automation:Storage:Backend"] = "cosmos",
        ["Automation:Cosmos:ConnectionString"] = ConnectionString,
        ["Automation:Cosmos:Database"] = database ?? "test-" + Guid.NewGuid().ToString("N"),
        ["Automation:Cosmos:CreateIfMissing"] = "true",
        // The test server does not implement bulk execution; production turns it on (the default).
        ["Automation:Cosmos:AllowBulkExecution"] = "false",
    };

    public static Task<CosmosTestServer> GetAsync() => Shared.Value;

    private static string Folder => Path.Combine(SharedData.RepositoryRoot, "tests", "cosmosdb-server");

    private static async Task<CosmosTestServer> StartAsync()
    {
        await NodeTestPackage.InstallAsync(Folder);
        var (_, lines) = await NodeTestPackage.StartAsync(Folder, "listening ");
        return new CosmosTestServer(int.Parse(lines[^1]["listening ".Length..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
