using Automation.Profiles.Model;

namespace Automation.ContextSources.Areas;

/// <summary>
/// A customer's forecast area: the cell of their coordinates, or failing that of their postal code or
/// city in the places table. Without a country there is no area, since the country picks the provider
/// (and postal codes only mean something within a country).
/// </summary>
public sealed class AreaLocator(PlaceTable places)
{
    public static AreaLocator CoordinatesOnly { get; } = new(PlaceTable.Empty);

    public ForecastArea? Locate(CustomerProfile profile)
    {
        if (profile.Country is not { } country) return null;
        if (profile.Coordinates is { } point) return ForecastArea.Of(country, point);
        return places.Find(country, profile.PostalCode, profile.City) is { } place ? ForecastArea.Of(country, place) : null;
    }

    /// <summary>Why <see cref="Locate"/> found nothing, for explanations.</summary>
    public static string WhyNoArea(CustomerProfile profile) => profile.Country is null
        ? "the profile has no country, which decides the pollen provider"
        : "the profile has no coordinates, and neither its postal code nor its city is in the places table";
}

/// <summary>The areas in use, kept as profiles are committed (<see cref="ForecastAreaUpkeep"/>): the daily fetch never scans customers.</summary>
public interface IForecastAreaStore
{
    IAsyncEnumerable<ForecastArea> ReadAreasAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds areas to the set; those already in it stay as they are.</summary>
    Task AddAreasAsync(IReadOnlyCollection<ForecastArea> areas, CancellationToken cancellationToken = default);
}
