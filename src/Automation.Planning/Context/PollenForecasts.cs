using Automation.Profiles.Model;
using NodaTime;

namespace Automation.Planning.Context;

/// <summary>One area's forecast for one day: pollen type → grains/m³.</summary>
public sealed record AreaForecast(string AreaId, string AreaName, LocalDate Date, IReadOnlyDictionary<string, double> Levels);

/// <summary>Where an area is: matched by country and city name, or by distance from its centre.</summary>
public sealed record ForecastArea(string Id, string Name, string Country, IReadOnlyList<string> Cities, GeoPoint? Centre, double RadiusKm);

/// <summary>
/// The forecasts of one day for every area, loaded once before the planning pass. A customer's area is
/// the one whose country and city match the profile; failing that, the nearest area whose radius
/// covers the profile's coordinates.
/// </summary>
public sealed class PollenForecasts
{
    private readonly Dictionary<(string Country, string City), AreaForecast> _byCity = new();
    private readonly List<(ForecastArea Area, AreaForecast Forecast)> _byCentre = [];

    public PollenForecasts(LocalDate date, IEnumerable<(ForecastArea Area, AreaForecast Forecast)> forecasts)
    {
        Date = date;
        foreach (var (area, forecast) in forecasts)
        {
            foreach (var city in area.Cities) _byCity[(area.Country.ToUpperInvariant(), Normalize(city))] = forecast;
            if (area.Centre is not null) _byCentre.Add((area, forecast));
        }
    }

    public static PollenForecasts None(LocalDate date) => new(date, []);

    /// <summary>The day these forecasts are for.</summary>
    public LocalDate Date { get; }

    public bool IsEmpty => _byCity.Count == 0 && _byCentre.Count == 0;

    public AreaForecast? For(CustomerProfile profile)
    {
        if (IsEmpty) return null;
        if (profile.Country is { } country && profile.City is { } city
            && _byCity.TryGetValue((country, Normalize(city)), out var byCity))
        {
            return byCity;
        }

        if (profile.Coordinates is not { } point) return null;
        AreaForecast? nearest = null;
        var nearestKm = double.MaxValue;
        foreach (var (area, forecast) in _byCentre)
        {
            var km = DistanceKm(point, area.Centre!.Value);
            if (km <= area.RadiusKm && km < nearestKm) (nearest, nearestKm) = (forecast, km);
        }

        return nearest;
    }

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

/// <summary>Pollen forecasts per area and day. The file source serves samples and tests; real APIs come later.</summary>
public interface IPollenForecastSource
{
    Task<PollenForecasts> LoadAsync(LocalDate date, CancellationToken cancellationToken = default);
}

/// <summary>What a trigger may know about the day besides the profile, loaded once before the pass.</summary>
public sealed record DayContext(PollenForecasts Pollen);
