using System.Diagnostics;

namespace Automation.Testing;

/// <summary>
/// The Cosmos DB server the tests talk to: <c>@vercel/cosmosdb-server</c> (pinned in
/// tests/cosmosdb-server/package-lock.json), installed with <c>npm ci</c> on first use and started once
/// per test process on 127.0.0.1 and a free port. It stops when the test process ends (it exits when
/// its standard input closes). Each store gets its own database, so tests never see each other's data.
/// </summary>
public sealed class CosmosTestServer
{
    // The emulator's published, well-known key: the test server accepts any key, the SDK needs one.
    private const string EmulatorKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";
    private static readonly Lazy<Task<CosmosTestServer>> Shared = new(StartAsync);
    private readonly Process _process;

    private CosmosTestServer(Process process, int port)
    {
        _process = process;
        Port = port;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
    }

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
        await InstallAsync();
        var start = new ProcessStartInfo("node", "start.js")
        {
            WorkingDirectory = Folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The Cosmos DB test server did not start: {line} {await process.StandardError.ReadToEndAsync()}");
        }

        // Keep reading so a chatty server never blocks on a full pipe.
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return new CosmosTestServer(process, int.Parse(line["listening ".Length..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>npm ci once per machine; test assemblies run in parallel, so a lock file serialises them.</summary>
    private static async Task InstallAsync()
    {
        if (Directory.Exists(Path.Combine(Folder, "node_modules", "@vercel", "cosmosdb-server"))) return;
        await using var installing = await LockAsync(Path.Combine(Folder, ".install.lock"));
        if (Directory.Exists(Path.Combine(Folder, "node_modules", "@vercel", "cosmosdb-server"))) return;
        var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund")
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("npm did not start.");
        var output = npm.StandardOutput.ReadToEndAsync();
        var errors = npm.StandardError.ReadToEndAsync();
        await npm.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        if (npm.ExitCode != 0) throw new InvalidOperationException($"npm ci failed in {Folder}: {await output} {await errors}");
    }

    private static async Task<FileStream> LockAsync(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (attempt < 600)
            {
                await Task.Delay(500);
            }
        }
    }

    private void Stop()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(2_000)) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }
}
