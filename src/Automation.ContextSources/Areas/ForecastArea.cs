using System.Globalization;
using Automation.Profiles.Model;

namespace Automation.ContextSources.Areas;

/// <summary>
/// Where forecasts are fetched for: a 0.1° grid cell (about 11 km north–south, the resolution of the
/// CAMS European air-quality model behind Open-Meteo's pollen) within one country. The country picks
/// the provider; a cell on a border is one area per country.
/// </summary>
public readonly record struct ForecastArea(string Country, int LatitudeCell, int LongitudeCell)
{
    public const int CellsPerDegree = 10;

    // Rounding in decimal-to-binary conversion puts 47.3 at 47.29999…; the nudge keeps it in cell 473.
    private const double Nudge = 1e-9;

    public static ForecastArea Of(string country, GeoPoint point) => new(
        country.ToUpperInvariant(),
        Math.Clamp((int)Math.Floor(point.Latitude * CellsPerDegree + Nudge), -90 * CellsPerDegree, 90 * CellsPerDegree - 1),
        Math.Clamp((int)Math.Floor(point.Longitude * CellsPerDegree + Nudge), -180 * CellsPerDegree, 180 * CellsPerDegree - 1));

    /// <summary>The cell's centre: the point forecasts are asked for.</summary>
    public GeoPoint Centre => new((LatitudeCell + 0.5) / CellsPerDegree, (LongitudeCell + 0.5) / CellsPerDegree);

    /// <summary>Country and centre, e.g. <c>CH:47.35,8.55</c>: readable in reports, stable as a key.</summary>
    public string Id => string.Create(CultureInfo.InvariantCulture, $"{Country}:{Centre.Latitude:0.00},{Centre.Longitude:0.00}");

    public override string ToString() => Id;
}
