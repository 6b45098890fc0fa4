using System.Globalization;
using Microsoft.Extensions.Configuration;
using NodaTime;
using NodaTime.Text;

namespace Automation.Settings;

/// <summary>
/// Reads settings with a sentence for every wrong value: the key, the value and what is allowed.
/// The configuration binder would either throw a type-conversion message marketers cannot act on or,
/// for a misspelt key, silently keep the default; this reader does neither. It collects every
/// problem before failing, so one run shows them all.
/// </summary>
public sealed class SettingsReader(IConfiguration configuration)
{
    public static readonly LocalTimePattern HourMinute = LocalTimePattern.CreateWithInvariantCulture("HH:mm");
    private readonly List<string> _errors = [];
    private readonly HashSet<string> _known = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _knownPrefixes = new(StringComparer.OrdinalIgnoreCase);

    public bool Bool(string key, bool defaultValue)
    {
        var raw = Raw(key);
        if (raw is null) return defaultValue;
        if (bool.TryParse(raw, out var value)) return value;
        return Fail(key, raw, "must be true or false", defaultValue);
    }

    public int WholeNumber(string key, int defaultValue, int min, int max, string what)
    {
        var raw = Raw(key);
        if (raw is null) return defaultValue;
        if (int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        var number = what.Length == 0 ? "a whole number" : $"a whole number of {what}";
        return Fail(key, raw, $"must be {number} from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}", defaultValue);
    }

    public double Number(string key, double defaultValue, double min, double max, string what)
    {
        var raw = Raw(key);
        if (raw is null) return defaultValue;
        return ParseNumber(key, raw, min, max, what) ?? defaultValue;
    }

    public decimal Amount(string key, decimal defaultValue, decimal min, string what)
    {
        var raw = Raw(key);
        if (raw is null) return defaultValue;
        if (decimal.TryParse(raw, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) && value >= min) return value;
        return Fail(key, raw, $"must be {what} of at least {min.ToString(CultureInfo.InvariantCulture)}", defaultValue);
    }

    public LocalTime Time(string key, LocalTime defaultValue)
    {
        var raw = Raw(key);
        if (raw is null) return defaultValue;
        var parsed = HourMinute.Parse(raw);
        return parsed.Success ? parsed.Value : Fail(key, raw, "must be a time of day as HH:mm (e.g. 09:00)", defaultValue);
    }

    public DateTimeZone Zone(string key, string defaultValue)
    {
        var raw = Raw(key) ?? defaultValue;
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(raw);
        return zone ?? Fail(key, raw, "must be an IANA time zone such as Europe/Rome or America/New_York", DateTimeZone.Utc);
    }

    public string Text(string key, string defaultValue, bool required = true)
    {
        var raw = Raw(key);
        if (raw is null)
        {
            if (required && string.IsNullOrWhiteSpace(defaultValue)) _errors.Add($"{key} must be set.");
            return defaultValue;
        }

        if (required && string.IsNullOrWhiteSpace(raw)) return Fail(key, raw, "must not be empty", defaultValue);
        return raw.Trim();
    }

    /// <summary>An http(s) URL; <paramref name="example"/> shows the expected form in the error.</summary>
    public Uri Url(string key, string defaultValue, string example)
    {
        var text = Text(key, defaultValue);
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)) return url;
        _errors.Add($"{key} must be an http(s) URL such as {example}, got '{text}'.");
        return new Uri(defaultValue);
    }

    public T Choice<T>(string key, T defaultValue, IReadOnlyDictionary<string, T> choices)
    {
        var raw = Raw(key);
        if (raw is null) return defaultValue;
        if (choices.TryGetValue(raw.Trim(), out var value)) return value;
        return Fail(key, raw, "must be one of " + string.Join(", ", choices.Keys.Select(k => $"'{k}'")), defaultValue);
    }

    public IReadOnlyList<string> List(string key, IReadOnlyList<string> defaultValue)
    {
        _knownPrefixes.Add(key);
        var section = configuration.GetSection(key);
        var children = section.GetChildren().ToList();
        if (children.Count == 0) return section.Value is { } single ? Split(single) : defaultValue;
        return children.Select(c => c.Value).Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).ToList();
    }

    /// <summary>A map of names to positive numbers; each name must be one of <paramref name="allowedNames"/>.</summary>
    public IReadOnlyDictionary<string, double> NumberMap(
        string key, IReadOnlyDictionary<string, double> defaultValue, IReadOnlySet<string> allowedNames, double min, double max, string what)
    {
        _knownPrefixes.Add(key);
        var children = configuration.GetSection(key).GetChildren().ToList();
        if (children.Count == 0) return defaultValue;
        var map = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var child in children)
        {
            var name = child.Key.ToLowerInvariant();
            var childKey = $"{key}:{child.Key}";
            if (!allowedNames.Contains(name))
            {
                _errors.Add($"{childKey} is not a known name; use one of {string.Join(", ", allowedNames.Order(StringComparer.Ordinal))}.");
                continue;
            }

            if (ParseNumber(childKey, child.Value ?? "", min, max, what) is { } value) map[name] = value;
        }

        return map;
    }

    /// <summary>Every key under <paramref name="key"/> with its text: a map a reader validates entry by entry.</summary>
    public IReadOnlyDictionary<string, string> TextMap(string key)
    {
        _knownPrefixes.Add(key);
        return configuration.GetSection(key).GetChildren()
            .Where(c => c.Value is not null)
            .ToDictionary(c => c.Key, c => c.Value!.Trim(), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Reports keys under <paramref name="section"/> that nothing reads: almost always a typo.</summary>
    public void RejectUnknownKeys(string section)
    {
        foreach (var child in configuration.GetSection(section).AsEnumerable(makePathsRelative: false))
        {
            if (child.Value is null || child.Key.Equals(section, StringComparison.OrdinalIgnoreCase)) continue;
            // A list or map may come as children (JSON) or, for a list, as one comma-separated value (environment variables).
            if (_known.Contains(child.Key) || _knownPrefixes.Any(p => child.Key.Equals(p, StringComparison.OrdinalIgnoreCase)
                || child.Key.StartsWith(p + ":", StringComparison.OrdinalIgnoreCase))) continue;
            var suggestion = NearMiss.ClosestKey(child.Key, _known.Concat(_knownPrefixes)) is { } known ? $"; did you mean {known}?" : ".";
            _errors.Add($"{child.Key} is not a setting Automation knows{suggestion} Check its spelling against docs/configuration.md.");
        }
    }

    /// <summary>Marks the keys under <paramref name="key"/> as read by another settings type, so <see cref="RejectUnknownKeys"/> of a parent leaves them alone.</summary>
    public void ReadElsewhere(string key) => _knownPrefixes.Add(key);

    public void Error(string sentence) => _errors.Add(sentence);

    public IReadOnlyList<string> Errors => _errors;

    public void ThrowIfInvalid()
    {
        if (_errors.Count > 0) throw new SettingsValidationException(_errors);
    }

    private double? ParseNumber(string key, string raw, double min, double max, string what)
    {
        if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value >= min && value <= max)
        {
            return value;
        }

        var range = min > 0 && max == double.MaxValue ? $"a positive number of {what}"
            : max == double.MaxValue ? $"a number of {what} of at least {min.ToString(CultureInfo.InvariantCulture)}"
            : $"a number of {what} from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";
        _errors.Add($"{key} must be {range}, got '{raw}'.");
        return null;
    }

    private string? Raw(string key)
    {
        _known.Add(key);
        return configuration[key];
    }

    private T Fail<T>(string key, string raw, string allowed, T fallback)
    {
        _errors.Add($"{key} {allowed}, got '{raw}'.");
        return fallback;
    }

    private static List<string> Split(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}

/// <summary>One or more settings are wrong; the message has one sentence per problem.</summary>
public sealed class SettingsValidationException(IReadOnlyList<string> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
