using System.Reflection;
using System.Text.Json;
using Automation.Testing;

namespace Automation.Functions.Tests;

/// <summary>One binding of a function, as the Functions SDK wrote it into functions.metadata.</summary>
internal sealed record FunctionBinding(string Name, string Direction, string Type, JsonElement Json)
{
    public string? Text(string property) => Json.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>A function as the host knows it: its name, entry point and bindings.</summary>
internal sealed record FunctionDefinition(string Name, string EntryPoint, IReadOnlyList<FunctionBinding> Bindings)
{
    public FunctionBinding Trigger => Bindings.Single(b => b.Type.EndsWith("Trigger", StringComparison.Ordinal));

    public IEnumerable<FunctionBinding> Outputs(string type) => Bindings.Where(b => b.Direction == "Out" && b.Type == type);
}

/// <summary>
/// The build's functions.metadata, the file from which the Functions host learns every trigger and
/// binding. The tests read it rather than the attributes, so what they run is what the host would run.
/// </summary>
internal static class FunctionsMetadata
{
    public static string OutputFolder { get; } = Path.GetFullPath(typeof(FunctionsMetadata).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "FunctionsOutput").Value!);

    public static IReadOnlyDictionary<string, FunctionDefinition> Functions { get; } = Read();

    private static Dictionary<string, FunctionDefinition> Read()
    {
        var path = Path.Combine(OutputFolder, "functions.metadata");
        if (!File.Exists(path)) throw new FileNotFoundException($"functions.metadata is missing: build functions/ in this configuration first ({path}).");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray().Select(function => new FunctionDefinition(
                function.GetProperty("name").GetString()!,
                function.GetProperty("entryPoint").GetString()!,
                function.GetProperty("bindings").EnumerateArray().Select(b => new FunctionBinding(
                    b.GetProperty("name").GetString()!, b.GetProperty("direction").GetString()!, b.GetProperty("type").GetString()!, b.Clone())).ToList()))
            .ToDictionary(f => f.Name);
    }

    /// <summary>host.json as deployed with the app.</summary>
    public static JsonElement HostJson()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(OutputFolder, "host.json")));
        return document.RootElement.Clone();
    }

    public static string RepositoryFile(params string[] parts) => Path.Combine([SharedData.RepositoryRoot, .. parts]);
}
