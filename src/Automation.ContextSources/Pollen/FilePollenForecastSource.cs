using System.Globalization;
using System.Text.Json;
using Automation.Planning.Context;
using Automation.Profiles.Model;
using NodaTime;
using NodaTime.Text;

namespace Automation.ContextSources.Pollen;

/// <summary>
/// Forecasts from a JSON file (format in docs/pollen.md) instead of the providers: for samples, demos
/// and places no provider covers. The file names its own areas, each with a country and cities or a
/// centre and radius, and its levels per date. A wrong file stops the run with a sentence naming the
/// area and field.
/// </summary>
public sealed class FilePollenForecastSource(string path) : IPollenForecastSource
{
    public async Task<PollenForecasts> LoadAsync(LocalDate date, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path)) throw new PollenForecastException($"The pollen forecasts file {path} does not exist.");
        await using var stream = File.OpenRead(path);
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(stream, default, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new PollenForecastException($"The pollen forecasts file {path} is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            if (!document.RootElement.TryGetProperty("areas", out var areas) || areas.ValueKind != JsonValueKind.Array)
            {
                throw new PollenForecastException($"The pollen forecasts file {path} must be an object with an \"areas\" array.");
            }

            var named = new List<NamedArea>();
            var forecasts = new Dictionary<string, AreaForecast>(StringComparer.Ordinal);
            var index = 0;
            foreach (var element in areas.EnumerateArray())
            {
                var area = ReadArea(element, index++);
                if (element.TryGetProperty("forecasts", out var days) && days.TryGetProperty(LocalDatePattern.Iso.Format(date), out var levels))
                {
                    named.Add(area);
                    forecasts[area.Id] = new AreaForecast(area.Id, area.Name, date, ReadLevels(levels, area.Id, date));
                }
            }

            return new PollenForecasts(date, forecasts, new NamedAreas(named));
        }
    }

    private NamedArea ReadArea(JsonElement element, int index)
    {
        var id = String(element, "id") ?? throw Invalid($"area #{index + 1} has no \"id\"");
        var country = String(element, "country") ?? throw Invalid($"area '{id}' has no \"country\" (ISO 3166 alpha-2)");
        var cities = element.TryGetProperty("cities", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(c => c.GetString()).OfType<string>().ToList()
            : [];
        GeoPoint? centre = element.TryGetProperty("latitude", out var lat) && element.TryGetProperty("longitude", out var lon)
            && lat.TryGetDouble(out var latitude) && lon.TryGetDouble(out var longitude)
            ? new GeoPoint(latitude, longitude)
            : null;
        var radius = element.TryGetProperty("radiusKm", out var r) && r.TryGetDouble(out var km) ? km : 25;
        if (cities.Count == 0 && centre is null) throw Invalid($"area '{id}' needs \"cities\" or \"latitude\" and \"longitude\"");
        return new NamedArea(id, String(element, "name") ?? id, country.ToUpperInvariant(), cities, centre, radius);
    }

    private Dictionary<string, double> ReadLevels(JsonElement levels, string areaId, LocalDate date)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var level in levels.EnumerateObject())
        {
            var type = level.Name.ToLowerInvariant();
            if (!PollenTypes.All.Contains(type)) throw Invalid($"area '{areaId}' on {date:yyyy-MM-dd} has an unknown pollen type '{level.Name}'");
            if (!level.Value.TryGetDouble(out var value) || value < 0)
            {
                throw Invalid($"area '{areaId}' on {date:yyyy-MM-dd}: {level.Name} must be a number of grains/m³ of at least 0, got {level.Value.GetRawText()}");
            }

            result[type] = value;
        }

        return result;
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private PollenForecastException Invalid(string what) =>
        new(string.Create(CultureInfo.InvariantCulture, $"The pollen forecasts file {path}: {what}."));
}

public sealed class PollenForecastException(string message) : Exception(message);

/// <summary>An area of the forecasts file: matched by country and city name, or by distance from its centre.</summary>
internal sealed record NamedArea(string Id, string Name, string Country, IReadOnlyList<string> Cities, GeoPoint? Centre, double RadiusKm);

/// <summary>
/// A customer's area among the file's: the one whose country and city match the profile; failing that,
/// the nearest one whose radius covers the profile's coordinates.
/// </summary>
internal sealed class NamedAreas : ICustomerAreas
{
    private readonly Dictionary<(string Country, string City), string> _byCity = new();
    private readonly List<NamedArea> _byCentre = [];

    public NamedAreas(IEnumerable<NamedArea> areas)
    {
        foreach (var area in areas)
        {
            foreach (var city in area.Cities) _byCity[(area.Country, Normalize(city))] = area.Id;
            if (area.Centre is not null) _byCentre.Add(area);
        }
    }

    public string? AreaOf(CustomerProfile profile)
    {
        if (profile.Country is { } country && profile.City is { } city && _byCity.TryGetValue((country, Normalize(city)), out var byCity)) return byCity;
        if (profile.Coordinates is not { } point) return null;
        string? nearest = null;
        var nearestKm = double.MaxValue;
        foreach (var area in _byCentre)
        {
            var km = DistanceKm(point, area.Centre!.Value);
            if (km <= area.RadiusKm && km < nearestKm) (nearest, nearestKm) = (area.Id, km);
        }

        return nearest;
    }

    public string WhyNoArea(CustomerProfile profile) => "no area of the forecasts file matches the customer's city or coordinates";

    private static string Normalize(string city) => city.Trim().ToUpperInvariant();

    /// <summary>Great-circle distance (haversine); areas are tens of kilometres, so a sphere is plenty.</summary>
    private static double DistanceKm(GeoPoint a, GeoPoint b)
    {
        const double earthRadiusKm = 6371.0;
        static double Radians(double degrees) => degrees * Math.PI / 180;
        var dLat = Radians(b.Latitude - a.Latitude);
        var dLon = Radians(b.Longitude - a.Longitude);
        var h = Math.Pow(Math.Sin(dLat / 2), 2) + Math.Cos(Radians(a.Latitude)) * Math.Cos(Radians(b.Latitude)) * Math.Pow(Math.Sin(dLon / 2), 2);
        return 2 * earthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }
}
