using Automation.Profiles.Model;
using NodaTime;

namespace Automation.Planning.Context;

/// <summary>
/// One area's pollen on one day: pollen type → grains/m³, for the types the source had data for. When
/// the source failed or had no data, <see cref="Unavailable"/> says why and there are no levels: the
/// trigger does not fire on a guess.
/// </summary>
/// <param name="AreaName">A place name a message may show; null for grid areas, which have none.</param>
public sealed record AreaForecast(string AreaId, string? AreaName, LocalDate Date, IReadOnlyDictionary<string, double> Levels, string? Unavailable = null)
{
    public static AreaForecast WithoutLevels(string areaId, LocalDate date, string reason) => new(areaId, null, date, new Dictionary<string, double>(), reason);
}

/// <summary>How a forecast source finds a customer's area.</summary>
public interface ICustomerAreas
{
    string? AreaOf(CustomerProfile profile);

    /// <summary>Why <see cref="AreaOf"/> found none, in a phrase for explanations.</summary>
    string WhyNoArea(CustomerProfile profile);
}

/// <summary>The forecasts of one day for every area in use, loaded once before the planning pass.</summary>
public sealed class PollenForecasts(LocalDate date, IReadOnlyDictionary<string, AreaForecast> byArea, ICustomerAreas areas)
{
    public static PollenForecasts None(LocalDate date) => new(date, new Dictionary<string, AreaForecast>(), NoAreas.Instance);

    /// <summary>The day these forecasts are for.</summary>
    public LocalDate Date { get; } = date;

    public bool IsEmpty => byArea.Count == 0;

    public IEnumerable<AreaForecast> Areas => byArea.Values;

    public ICustomerAreas CustomerAreas => areas;

    public AreaForecast? For(CustomerProfile profile) =>
        !IsEmpty && areas.AreaOf(profile) is { } id && byArea.TryGetValue(id, out var forecast) ? forecast : null;

    private sealed class NoAreas : ICustomerAreas
    {
        public static readonly NoAreas Instance = new();

        public string? AreaOf(CustomerProfile profile) => null;

        public string WhyNoArea(CustomerProfile profile) => "no forecast areas are configured";
    }
}

/// <summary>Pollen forecasts per area and day: from the providers (Open-Meteo, Google Pollen) or a file.</summary>
public interface IPollenForecastSource
{
    Task<PollenForecasts> LoadAsync(LocalDate date, CancellationToken cancellationToken = default);
}
