using Xunit;

namespace Automation.Testing;

/// <summary>
/// Finds ../shared/data next to the repository. Tests that need it are skipped with a message when it
/// is absent, except under CI (CI=true), where its absence is a failure.
/// </summary>
public static class SharedData
{
    public static string? Folder { get; } = Locate();

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static bool RunningInCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static string Require(string relativePath)
    {
        var path = Folder is null ? null : Path.Combine(Folder, relativePath);
        if (path is null || !File.Exists(path))
        {
            throw new FileNotFoundException(
                $"Shared test data {relativePath} is missing: expected it under {Path.Combine(RepositoryRoot, "..", "shared", "data")}.");
        }

        return path;
    }

    private static string? Locate()
    {
        var folder = Path.GetFullPath(Path.Combine(FindRepositoryRoot(), "..", "shared", "data"));
        return Directory.Exists(folder) ? folder : null;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Automation.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("Cannot find the repository root (Automation.sln) above " + AppContext.BaseDirectory);
    }
}

/// <summary>A fact that needs ../shared/data: skipped locally when it is missing, run (and failing) under CI.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    public SharedDataFactAttribute()
    {
        if (SharedData.Folder is null && !SharedData.RunningInCi)
        {
            Skip = "../shared/data is not present next to the repository; set CI=true to make this a failure.";
        }
    }
}
