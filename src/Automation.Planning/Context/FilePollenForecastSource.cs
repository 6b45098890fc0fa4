using System.Globalization;
using System.Text.Json;
using Automation.Profiles.Model;
using NodaTime;
using NodaTime.Text;

namespace Automation.Planning.Context;

/// <summary>
/// Forecasts from a JSON file (format in docs/planning.md): a list of areas, each with where it is and
/// its levels per date. A wrong file stops the run with a sentence naming the area and field.
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

            var forecasts = new List<(ForecastArea, AreaForecast)>();
            var index = 0;
            foreach (var element in areas.EnumerateArray())
            {
                var area = ReadArea(element, index++);
                if (element.TryGetProperty("forecasts", out var days) && days.TryGetProperty(LocalDatePattern.Iso.Format(date), out var levels))
                {
                    forecasts.Add((area, new AreaForecast(area.Id, area.Name, date, ReadLevels(levels, area.Id, date))));
                }
            }

            return new PollenForecasts(date, forecasts);
        }
    }

    private ForecastArea ReadArea(JsonElement element, int index)
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
        return new ForecastArea(id, String(element, "name") ?? id, country.ToUpperInvariant(), cities, centre, radius);
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
