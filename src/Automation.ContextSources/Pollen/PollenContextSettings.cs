using Automation.Settings;
using Microsoft.Extensions.Configuration;

namespace Automation.ContextSources.Pollen;

/// <summary>
/// Settings under <c>Automation:Pollen</c> (which provider serves which countries, how to reach them)
/// and <c>Automation:Areas</c> (the places table). A class, not a record: a record's generated ToString
/// would print the keys.
/// </summary>
public sealed class PollenContextSettings
{
    public const string Section = "Automation:Pollen";
    public const string AreasSection = "Automation:Areas";
    public const string ForecastFileKey = Section + ":ForecastFile";
    private const string OpenMeteoFree = "https://air-quality-api.open-meteo.com";
    private const string OpenMeteoCustomer = "https://customer-air-quality-api.open-meteo.com";

    /// <summary>In a provider's country list: every country no other provider lists.</summary>
    public const string EveryOtherCountry = "*";

    /// <summary>
    /// The countries inside the CAMS European air-quality domain (25°W–45°E, 30°N–72°N), where
    /// Open-Meteo has pollen. Turkey and Russia reach outside it and are left to configuration.
    /// </summary>
    public static readonly IReadOnlyList<string> EuropeanCountries =
    [
        "AD", "AL", "AT", "BA", "BE", "BG", "BY", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FO", "FR", "GB", "GG", "GI",
        "GR", "HR", "HU", "IE", "IM", "IS", "IT", "JE", "LI", "LT", "LU", "LV", "MC", "MD", "ME", "MK", "MT", "NL", "NO", "PL",
        "PT", "RO", "RS", "SE", "SI", "SK", "SM", "UA", "VA", "XK",
    ];

    /// <summary>A forecasts file used instead of the providers (samples, demos, places no provider covers).</summary>
    public string? ForecastFile { get; private init; }
    public string? PlacesFile { get; private init; }
    public ProviderSettings OpenMeteo { get; private init; } = null!;
    public ProviderSettings Google { get; private init; } = null!;
    public int OpenMeteoLocationsPerRequest { get; private init; } = 50;
    public TimeSpan RequestTimeout { get; private init; } = TimeSpan.FromSeconds(10);
    public int MaxRetries { get; private init; } = 2;
    public TimeSpan RetryBaseDelay { get; private init; } = TimeSpan.FromSeconds(1);
    public int MaxConcurrentRequests { get; private init; } = 4;

    public override string ToString() =>
        $"Open-Meteo at {OpenMeteo.BaseUrl} (key {(OpenMeteo.ApiKey is null ? "not set" : "set")}), Google Pollen at {Google.BaseUrl} (key {(Google.ApiKey is null ? "not set" : "set")})";

    /// <summary>The provider for a country, or null when none serves it.</summary>
    public string? ProviderFor(string country)
    {
        foreach (var provider in new[] { OpenMeteo, Google })
        {
            if (provider.Countries.Contains(country)) return provider.Name;
        }

        return new[] { OpenMeteo, Google }.FirstOrDefault(p => p.Countries.Contains(EveryOtherCountry))?.Name;
    }

    public static PollenContextSettings Read(IConfiguration configuration)
    {
        var reader = new SettingsReader(configuration);
        var openMeteoKey = Optional(reader, Section + ":OpenMeteo:ApiKey");
        // The commercial API is the customer- host; the key alone must be enough to switch to it.
        var openMeteo = new ProviderSettings(
            ProviderNames.OpenMeteo,
            reader.Url(Section + ":OpenMeteo:BaseUrl", openMeteoKey is null ? OpenMeteoFree : OpenMeteoCustomer, $"{OpenMeteoFree} (or {OpenMeteoCustomer} with a key)"),
            openMeteoKey,
            Countries(reader, Section + ":OpenMeteo:Countries", EuropeanCountries));
        var google = new ProviderSettings(
            ProviderNames.Google,
            reader.Url(Section + ":Google:BaseUrl", "https://pollen.googleapis.com", "https://pollen.googleapis.com"),
            Optional(reader, Section + ":Google:ApiKey"),
            Countries(reader, Section + ":Google:Countries", []));
        var settings = new PollenContextSettings
        {
            ForecastFile = Optional(reader, ForecastFileKey),
            PlacesFile = Optional(reader, AreasSection + ":PlacesFile"),
            OpenMeteo = openMeteo,
            Google = google,
            OpenMeteoLocationsPerRequest = reader.WholeNumber(Section + ":OpenMeteo:LocationsPerRequest", 50, 1, 1000, "locations"),
            RequestTimeout = TimeSpan.FromSeconds(reader.Number(Section + ":RequestTimeoutSeconds", 10, 0.01, 300, "seconds")),
            MaxRetries = reader.WholeNumber(Section + ":MaxRetries", 2, 0, 10, "retries"),
            RetryBaseDelay = TimeSpan.FromSeconds(reader.Number(Section + ":RetryBaseDelaySeconds", 1, 0, 60, "seconds")),
            MaxConcurrentRequests = reader.WholeNumber(Section + ":MaxConcurrentRequests", 4, 1, 64, "requests"),
        };

        foreach (var country in openMeteo.Countries.Intersect(google.Countries))
        {
            reader.Error($"{country} is in both {Section}:OpenMeteo:Countries and {Section}:Google:Countries; each country has one provider.");
        }

        if (google.Countries.Count > 0 && google.ApiKey is null)
        {
            reader.Error($"{Section}:Google:Countries names countries, so {Section}:Google:ApiKey must hold the Google Maps Platform key with the Pollen API enabled.");
        }

        reader.RejectUnknownKeys(Section);
        reader.RejectUnknownKeys(AreasSection);
        reader.ThrowIfInvalid();
        return settings;
    }

    private static string? Optional(SettingsReader reader, string key) => reader.Text(key, "", required: false) is { Length: > 0 } text ? text : null;

    private static HashSet<string> Countries(SettingsReader reader, string key, IReadOnlyList<string> defaults)
    {
        var countries = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in reader.List(key, defaults))
        {
            var country = entry.Trim().ToUpperInvariant();
            if (country == EveryOtherCountry || (country.Length == 2 && country.All(char.IsAsciiLetterUpper))) countries.Add(country);
            else reader.Error($"{key} lists '{entry}', which is neither an ISO 3166 alpha-2 country code nor \"{EveryOtherCountry}\" (every other country).");
        }

        return countries;
    }
}

/// <summary>One provider: where it is, its key (never logged), and the countries it serves.</summary>
public sealed class ProviderSettings(string name, Uri baseUrl, string? apiKey, IReadOnlySet<string> countries)
{
    public string Name { get; } = name;
    public Uri BaseUrl { get; } = baseUrl;
    public string? ApiKey { get; } = apiKey;
    public IReadOnlySet<string> Countries { get; } = countries;

    public override string ToString() => $"{Name} at {BaseUrl}";
}

public static class ProviderNames
{
    public const string OpenMeteo = "open-meteo";
    public const string Google = "google";
}
