using System.Text.Json;
using System.Text.Json.Nodes;

namespace Automation.Service.Settings;

/// <summary>
/// One key of a JSON settings file read or changed, as the configuration reads the file: a key
/// <c>A:B:C</c> is the nested <c>{"A":{"B":{"C":…}}}</c> or a property named with colons, matched
/// without regard to case. Everything else in the file stays as it was (comments excepted: the
/// configuration reads past them, a rewrite cannot keep them).
/// </summary>
public static class SettingsJson
{
    private static readonly JsonDocumentOptions Reading = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private static readonly JsonSerializerOptions Writing = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The file's value of <paramref name="key"/> as the settings page shows it (a list joined with ", "); null when the file does not set it.</summary>
    public static string? Read(string? json, string key) => Find(Parse(json), "", key) switch
    {
        null => null,
        JsonArray list => string.Join(", ", list.Select(item => item?.ToString())),
        JsonValue value => value.ToString(),
        var other => other.ToJsonString(),
    };

    /// <summary>
    /// The file with <paramref name="key"/> set to <paramref name="value"/> (a JSON array of its
    /// comma-separated values when <paramref name="list"/>), or without the key when the value is null.
    /// </summary>
    public static string Change(string? json, string key, string? value, bool list)
    {
        var root = Parse(json);
        Remove(root, "", key);
        if (value is not null)
        {
            var segments = key.Split(':');
            var parent = root;
            foreach (var segment in segments[..^1])
            {
                var name = parent.Select(p => p.Key).FirstOrDefault(k => k.Equals(segment, StringComparison.OrdinalIgnoreCase)) ?? segment;
                if (parent[name] is not JsonObject child) parent[name] = child = [];
                parent = child;
            }

            parent[segments[^1]] = list
                ? new JsonArray([.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(item => JsonValue.Create(item))])
                : JsonValue.Create(value);
        }

        return root.ToJsonString(Writing) + Environment.NewLine;
    }

    /// <exception cref="JsonException">The file is not a JSON object.</exception>
    private static JsonObject Parse(string? json) =>
        string.IsNullOrWhiteSpace(json) ? [] : JsonNode.Parse(json, documentOptions: Reading) as JsonObject ?? throw new JsonException("The settings file is not a JSON object.");

    private static JsonNode? Find(JsonObject node, string prefix, string key)
    {
        foreach (var (name, child) in node)
        {
            var path = prefix + name;
            if (path.Equals(key, StringComparison.OrdinalIgnoreCase)) return child;
            if (child is JsonObject inner && key.StartsWith(path + ":", StringComparison.OrdinalIgnoreCase) && Find(inner, path + ":", key) is { } found) return found;
        }

        return null;
    }

    /// <summary>Removes every way the file sets <paramref name="key"/>, and the objects that leaves empty.</summary>
    private static void Remove(JsonObject node, string prefix, string key)
    {
        foreach (var (name, child) in node.ToList())
        {
            var path = prefix + name;
            if (path.Equals(key, StringComparison.OrdinalIgnoreCase))
            {
                node.Remove(name);
            }
            else if (child is JsonObject inner && key.StartsWith(path + ":", StringComparison.OrdinalIgnoreCase))
            {
                Remove(inner, path + ":", key);
                if (inner.Count == 0) node.Remove(name);
            }
        }
    }
}
