using System.Text.Json;

namespace Automation.Testing;

public static class FunctionsAppSettings
{
    /// <summary>local.settings.sample.json's values, read as the Functions worker reads app settings (A__B means A:B).</summary>
    public static Dictionary<string, string?> Sample() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "local.settings.sample.json")))
            .RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name.Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value.GetString());
}
