namespace Automation.Testing;

/// <summary>
/// Azure Storage as the Functions app uses it (blobs, queues; tables for the host's diagnostics):
/// Azurite, pinned in tests/azurite/package-lock.json, installed with <c>npm ci</c> on first use and
/// started once per test process on 127.0.0.1 and free ports, in memory. It stops when the test process
/// ends. Tests keep apart by using their own containers and queues.
/// </summary>
public sealed class AzuriteTestServer
{
    /// <summary>Azurite's well-known development account and key (public, documented by Microsoft).</summary>
    private const string Account = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly Lazy<Task<AzuriteTestServer>> Shared = new(StartAsync);

    private AzuriteTestServer(IReadOnlyDictionary<string, string> endpoints) =>
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={AccountKey};" +
            $"BlobEndpoint={endpoints["blob"]}/{Account};QueueEndpoint={endpoints["queue"]}/{Account};TableEndpoint={endpoints["table"]}/{Account};";

    /// <summary>The connection string, as <c>AzureWebJobsStorage</c> holds it.</summary>
    public string ConnectionString { get; }

    public static Task<AzuriteTestServer> GetAsync() => Shared.Value;

    private static async Task<AzuriteTestServer> StartAsync()
    {
        var folder = Path.Combine(SharedData.RepositoryRoot, "tests", "azurite");
        await NodeTestPackage.InstallAsync(folder);
        var (_, lines) = await NodeTestPackage.StartAsync(folder, "ready");
        // "blob http://127.0.0.1:port" and the like, one line per service.
        return new AzuriteTestServer(lines.Where(line => line.Contains(' ', StringComparison.Ordinal))
            .Select(line => line.Split(' ', 2)).ToDictionary(parts => parts[0], parts => parts[1].TrimEnd('/')));
    }
}
