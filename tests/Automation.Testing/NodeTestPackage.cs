using System.Diagnostics;
using System.Security.Cryptography;

namespace Automation.Testing;

/// <summary>
/// A folder under tests/ with a package.json and package-lock.json that pins a server the tests start
/// (the Cosmos DB server, Azurite). <c>npm ci</c> runs once per machine and lock file.
/// </summary>
internal static class NodeTestPackage
{
    /// <summary>
    /// Installs the folder's packages unless an earlier install of the same lock file finished. Test
    /// assemblies run in parallel processes, so a lock file serialises the install; the marker is
    /// written only after <c>npm ci</c> succeeded, so a half-finished install is never taken as done
    /// (<c>node_modules</c> itself appears long before npm is finished).
    /// </summary>
    public static async Task InstallAsync(string folder)
    {
        Peers.EnsureAllowed("npm");
        var marker = Path.Combine(folder, "node_modules", ".installed-lock-sha256");
        var lockHash = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(folder, "package-lock.json"))));
        if (IsInstalled(marker, lockHash)) return;
        await using var installing = await LockAsync(Path.Combine(folder, ".install.lock"));
        if (IsInstalled(marker, lockHash)) return;
        var npm = Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("npm did not start.");
        var output = npm.StandardOutput.ReadToEndAsync();
        var errors = npm.StandardError.ReadToEndAsync();
        await npm.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(10));
        if (npm.ExitCode != 0) throw new InvalidOperationException($"npm ci failed in {folder}: {await output} {await errors}");
        await File.WriteAllTextAsync(marker, lockHash);
    }

    /// <summary>
    /// Starts <c>node start.js</c> in <paramref name="folder"/> and reads lines until one starts with
    /// <paramref name="readyPrefix"/>; the script serves until its standard input closes (the test
    /// process ended). Returns the process and the lines read.
    /// </summary>
    public static async Task<(Process Process, IReadOnlyList<string> Lines)> StartAsync(string folder, string readyPrefix, params string[] args)
    {
        Peers.EnsureAllowed("a Node.js server");
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("start.js");
        foreach (var arg in args) start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var lines = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            if (line is null)
            {
                throw new InvalidOperationException($"The server in {folder} did not start: {string.Join('\n', lines)} {await process.StandardError.ReadToEndAsync()}");
            }

            lines.Add(line);
            if (line.StartsWith(readyPrefix, StringComparison.Ordinal)) break;
        }

        // Keep reading so a chatty server never blocks on a full pipe.
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(process);
        return (process, lines);
    }

    private static bool IsInstalled(string marker, string lockHash) =>
        File.Exists(marker) && string.Equals(File.ReadAllText(marker), lockHash, StringComparison.Ordinal);

    private static async Task<FileStream> LockAsync(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (attempt < 1_200)
            {
                await Task.Delay(500);
            }
        }
    }

    private static void Stop(Process process)
    {
        try
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(2_000)) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
    }
}
