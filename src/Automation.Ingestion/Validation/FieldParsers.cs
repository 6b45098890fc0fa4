using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;
using NodaTime.Text;

namespace Automation.Ingestion.Validation;

/// <summary>Strict parsers that say, in a sentence, what was wrong. None of them guesses.</summary>
internal static partial class FieldParsers
{
    private static readonly OffsetDateTimePattern[] TimestampPatterns =
    [
        OffsetDateTimePattern.ExtendedIso,
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mm':'ss;FFFFFFFFFo<G>"),
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mmo<G>"),
    ];

    private static readonly LocalDateTimePattern[] NoOffsetPatterns =
    [
        LocalDateTimePattern.ExtendedIso,
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mm':'ss;FFFFFFFFF"),
    ];

    public static bool TryTimestamp(string text, out OffsetDateTime value, out string? error)
    {
        foreach (var pattern in TimestampPatterns)
        {
            var result = pattern.Parse(text);
            if (result.Success)
            {
                value = result.Value;
                error = null;
                return true;
            }
        }

        value = default;
        error = NoOffsetPatterns.Any(p => p.Parse(text).Success) || LocalDatePattern.Iso.Parse(text).Success
            ? $"'{text}' has no UTC offset: write it like 2024-03-01T14:30:00+01:00 or 2024-03-01T13:30:00Z"
            : $"'{text}' is not an ISO 8601 date and time with offset (e.g. 2024-03-01T14:30:00+01:00)";
        return false;
    }

    public static bool TryDate(string text, out LocalDate value, out string? error)
    {
        var result = LocalDatePattern.Iso.Parse(text);
        value = result.Success ? result.Value : default;
        error = result.Success ? null : $"'{text}' is not a date in the form YYYY-MM-DD";
        return result.Success;
    }

    /// <summary>A decimal with '.' as separator; a lone ',' is accepted as the decimal comma of European exports.</summary>
    public static bool TryDecimal(string text, out decimal value, out string? error)
    {
        var normalised = text.Contains(',', StringComparison.Ordinal) && !text.Contains('.', StringComparison.Ordinal)
            && text.Count(c => c == ',') == 1
            ? text.Replace(',', '.')
            : text;
        if (decimal.TryParse(normalised, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value))
        {
            error = null;
            return true;
        }

        error = $"'{text}' is not a number";
        return false;
    }

    public static bool TryDouble(string text, out double value, out string? error)
    {
        if (TryDecimal(text, out var d, out error))
        {
            value = (double)d;
            return true;
        }

        value = 0;
        return false;
    }

    public static bool TryInteger(string text, out int value, out string? error)
    {
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            error = null;
            return true;
        }

        error = $"'{text}' is not a whole number";
        return false;
    }

    public static bool TryBoolean(string text, out bool value, out string? error)
    {
        error = null;
        switch (text.ToLowerInvariant())
        {
            case "true" or "yes" or "y" or "1" or "t":
                value = true;
                return true;
            case "false" or "no" or "n" or "0" or "f":
                value = false;
                return true;
            default:
                value = false;
                error = $"'{text}' is not true or false (accepted: true/false, yes/no, 1/0)";
                return false;
        }
    }

    /// <summary>
    /// A practical address check: one @, a dot-separated domain with a top-level label, no spaces, within
    /// the RFC 5321 length limits. Internationalised addresses are allowed; whether the channel can deliver to one is
    /// another question (<see cref="Automation.Profiles.Model.AddressSupport"/>).
    /// </summary>
    public static bool TryEmail(string text, out string value, out string? error)
    {
        value = text;
        if (text.Length <= 254 && EmailPattern().IsMatch(text) && text.IndexOf('@', StringComparison.Ordinal) <= 64)
        {
            var at = text.LastIndexOf('@');
            value = string.Concat(text.AsSpan(0, at + 1), text[(at + 1)..].ToLowerInvariant());
            error = null;
            return true;
        }

        // The reason names the row and the field, never the address itself: reports are printed and kept.
        error = "not a valid email address (one @, a domain with a dot, no spaces, at most 254 characters)";
        return false;
    }

    /// <summary>A BCP 47 language tag (language, optional script, optional region), case-normalised: zh-Hans-CN.</summary>
    public static bool TryLocale(string text, out string value, out string? error)
    {
        var match = LocalePattern().Match(text.Replace('_', '-'));
        if (!match.Success)
        {
            value = text;
            error = $"'{text}' is not a BCP 47 language tag (e.g. en, ru-RU, zh-Hans-CN)";
            return false;
        }

        var language = match.Groups["lang"].Value.ToLowerInvariant();
        var script = match.Groups["script"].Success
            ? char.ToUpperInvariant(match.Groups["script"].Value[0]) + match.Groups["script"].Value[1..].ToLowerInvariant()
            : null;
        var region = match.Groups["region"].Success ? match.Groups["region"].Value.ToUpperInvariant() : null;
        value = string.Join('-', new[] { language, script, region }.Where(p => p is not null));
        error = null;
        return true;
    }

    public static bool TryTimeZone(string text, out string value, out string? error)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(text);
        value = zone?.Id ?? text;
        error = zone is null ? $"'{text}' is not a known IANA time zone (e.g. Europe/Rome, Asia/Shanghai)" : null;
        return zone is not null;
    }

    public static bool TryCountry(string text, out string value, out string? error)
    {
        value = text.ToUpperInvariant();
        var known = ReferenceCodes.Countries.Contains(value);
        error = known ? null : $"'{text}' is not an ISO 3166-1 alpha-2 country code (e.g. IT, RU, CN, GB)";
        return known;
    }

    public static bool TryCurrency(string text, out string value, out string? error)
    {
        value = text.ToUpperInvariant();
        var known = ReferenceCodes.Currencies.Contains(value);
        error = known ? null : $"'{text}' is not an ISO 4217 currency code (e.g. EUR, RUB, CNY, USD)";
        return known;
    }

    [GeneratedRegex(@"^[^@\s""(),:;<>\[\]\\]+@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}]{2,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^(?<lang>[A-Za-z]{2,3})(?:-(?<script>[A-Za-z]{4}))?(?:-(?<region>[A-Za-z]{2}|[0-9]{3}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex LocalePattern();
}
