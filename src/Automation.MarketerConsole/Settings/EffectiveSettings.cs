using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Automation.MarketerConsole.Settings;

/// <summary>One setting as it is in force, with the line of docs/configuration.md that explains it.</summary>
/// <param name="Value">The value in force; null when it is not set and the default applies. Secrets read only "set".</param>
/// <param name="Variable">The environment variable (or Azure app setting) that sets it: <c>Automation__Ingestion__BatchSize</c>.</param>
public sealed record EffectiveSetting(string Key, string? Value, string Default, string Documentation, string Variable)
{
    /// <summary>Keys, secrets and passwords: shown only as set, and never changed in a browser.</summary>
    public bool Secret => EffectiveSettings.IsSecret(Key);

    /// <summary>A list (several values, comma-separated on the page), kept as a JSON array in a settings file.</summary>
    public bool List => Default.StartsWith('[') || Documentation.Contains("a list", StringComparison.Ordinal);

    /// <summary>One the console may change: not a secret, and a key of its own rather than a family's pattern.</summary>
    public bool Changeable => !Secret && !Key.Contains('<', StringComparison.Ordinal);
}

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

    /// <summary>The setting of <paramref name="key"/> (a documented one, or a key of a documented family), or null.</summary>
    public static EffectiveSetting? Find(IConfiguration configuration, string key) =>
        Of(configuration).FirstOrDefault(setting => setting.Key.Equals(key, StringComparison.OrdinalIgnoreCase))
        ?? Documented.Value.Where(row => row.Key.IndexOf(":<", StringComparison.Ordinal) is > 0 and var at
                && key.StartsWith(row.Key[..(at + 1)], StringComparison.OrdinalIgnoreCase) && !key[(at + 1)..].Contains(':', StringComparison.Ordinal))
            .Select(row => Setting(configuration, key, row.Default, row.Documentation)).FirstOrDefault();

    /// <summary>What <paramref name="configuration"/> gives <paramref name="key"/>: its value, or its list's values joined with ", "; null when not set.</summary>
    public static string? ValueOf(IConfiguration configuration, string key)
    {
        var section = configuration.GetSection(key);
        var children = section.GetChildren().ToList();
        return section.Value ?? (children.Count == 0 ? null
            : string.Join(", ", children.Select(c => c.Value is { } v ? (int.TryParse(c.Key, out _) ? v : $"{c.Key}={v}") : c.Key)));
    }

    private static EffectiveSetting Setting(IConfiguration configuration, string key, string fallback, string documentation)
    {
        var value = ValueOf(configuration, key);
        if (value is not null && IsSecret(key)) value = "set (not shown)";
        return new EffectiveSetting(key, value, fallback, documentation, Variable(key));
    }

    /// <summary>Keys, secrets and passwords are never shown, only whether they are set.</summary>
    public static bool IsSecret(string key) => SecretName().IsMatch(key);

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
            // A row may document siblings together ("`…:MinPlausibleAge`, `MaxPlausibleAge` | `14`, `100`"): one setting each.
            var first = row.Groups["key"].Value;
            var keys = row.Groups["sibling"].Captures.Select(sibling => first[..(first.LastIndexOf(':') + 1)] + sibling.Value).Prepend(first).ToList();
            var defaults = row.Groups["default"].Value.Split(", ");
            for (var i = 0; i < keys.Count; i++)
            {
                rows.Add((keys[i], Plain(defaults.Length == keys.Count ? defaults[i] : row.Groups["default"].Value), Plain(row.Groups["doc"].Value)));
            }
        }

        return rows;
    }

    /// <summary>Markdown to text: links keep their words, code loses its backticks.</summary>
    private static string Plain(string markdown) => Link().Replace(markdown, "$1").Replace("`", "", StringComparison.Ordinal).Trim();

    [GeneratedRegex(@"^\| `(?<key>Automation:[^`]+)`(, `(?<sibling>[^`:]+)`)* \| (?<default>.*?) \| (?<doc>.*) \|\s*$")]
    private static partial Regex Row();

    [GeneratedRegex(@"\[([^\]]+)\]\([^)]+\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"(Key|Keys|Secret|Password|ConnectionString|Token)(:\d+)?$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}
