using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Automation.MarketerConsole;

/// <summary>One setting as it is in force, with the line of docs/configuration.md that explains it.</summary>
/// <param name="Value">The value in force; null when it is not set and the default applies. Secrets read only "set".</param>
/// <param name="Variable">The environment variable (or Azure app setting) that sets it: <c>Automation__Ingestion__BatchSize</c>.</param>
public sealed record EffectiveSetting(string Key, string? Value, string Default, string Documentation, string Variable);

/// <summary>
/// The settings in force, each with its documentation: every key docs/configuration.md documents (the
/// file is built into this library, so what the page explains is what this version reads), the value
/// the host's configuration gives it, and secrets shown only as set or not.
/// </summary>
public static partial class EffectiveSettings
{
    private static readonly Lazy<List<(string Key, string Default, string Documentation)>> Documented = new(ReadDocumentation);

    public static IReadOnlyList<EffectiveSetting> Of(IConfiguration configuration)
    {
        var settings = new List<EffectiveSetting>();
        foreach (var (key, fallback, documentation) in Documented.Value)
        {
            var placeholder = key.IndexOf(":<", StringComparison.Ordinal);
            if (placeholder < 0)
            {
                settings.Add(Setting(configuration, key, fallback, documentation));
                continue;
            }

            // A family of keys (Thresholds:<type>): one row per key the configuration sets, or the family's own row.
            var children = configuration.GetSection(key[..placeholder]).GetChildren().ToList();
            if (children.Count == 0) settings.Add(new EffectiveSetting(key, null, fallback, documentation, Variable(key)));
            settings.AddRange(children.Select(child => Setting(configuration, child.Path, fallback, documentation)));
        }

        return settings;
    }

    private static EffectiveSetting Setting(IConfiguration configuration, string key, string fallback, string documentation)
    {
        var section = configuration.GetSection(key);
        var children = section.GetChildren().ToList();
        string? value = section.Value ?? (children.Count == 0 ? null
            : string.Join(", ", children.Select(c => c.Value is { } v ? (int.TryParse(c.Key, out _) ? v : $"{c.Key}={v}") : c.Key)));
        if (value is not null && IsSecret(key)) value = "set (not shown)";
        return new EffectiveSetting(key, value, fallback, documentation, Variable(key));
    }

    /// <summary>Keys, secrets and passwords are never shown, only whether they are set.</summary>
    private static bool IsSecret(string key) => SecretName().IsMatch(key);

    private static string Variable(string key) => key.Replace(":", "__", StringComparison.Ordinal);

    private static List<(string Key, string Default, string Documentation)> ReadDocumentation()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("configuration.md")
            ?? throw new InvalidOperationException("docs/configuration.md is not built into the console.");
        using var reader = new StreamReader(stream);
        var rows = new List<(string Key, string Default, string Documentation)>();
        while (reader.ReadLine() is { } line)
        {
            if (Row().Match(line) is not { Success: true } row) continue;
            rows.Add((row.Groups["key"].Value, Plain(row.Groups["default"].Value), Plain(row.Groups["doc"].Value)));
        }

        return rows;
    }

    /// <summary>Markdown to text: links keep their words, code loses its backticks.</summary>
    private static string Plain(string markdown) => Link().Replace(markdown, "$1").Replace("`", "", StringComparison.Ordinal).Trim();

    [GeneratedRegex(@"^\| `(?<key>Automation:[^`]+)` \| (?<default>.*?) \| (?<doc>.*) \|\s*$")]
    private static partial Regex Row();

    [GeneratedRegex(@"\[([^\]]+)\]\([^)]+\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"(Key|Keys|Secret|Password|ConnectionString|Token)(:\d+)?$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}
