using Automation.ContextSources.Areas;
using NodaTime;

namespace Automation.ContextSources.Pollen;

public enum ForecastStatus
{
    /// <summary>Levels for at least one pollen type.</summary>
    Available,
    /// <summary>The provider answered without pollen values (outside its coverage or out of season).</summary>
    NoData,
    /// <summary>The provider refused the location (400): asking again the same day changes nothing.</summary>
    Unsupported,
    /// <summary>Timeout, refused connection, 5xx after the retries, an answer we could not read: a later run asks again.</summary>
    Failed,
    /// <summary>No provider is configured for the area's country; nothing was asked.</summary>
    NotServed,
}

/// <summary>
/// What a provider said about one area and day, as the store caches it. <see cref="Levels"/> holds
/// grains/m³ per pollen type for the types with data; <see cref="Reason"/> says why there are none (or
/// which types were left out).
/// </summary>
public sealed record AreaPollen(
    string AreaId, LocalDate Date, string Provider, ForecastStatus Status, IReadOnlyDictionary<string, double> Levels, string? Reason, Instant FetchedAt)
{
    /// <summary>Answers worth keeping for the rest of the day; a failure is asked again by the next run.</summary>
    public bool IsFinal => Status is ForecastStatus.Available or ForecastStatus.NoData or ForecastStatus.Unsupported;

    public static AreaPollen Without(ForecastArea area, LocalDate date, string provider, ForecastStatus status, string reason, Instant at) =>
        new(area.Id, date, provider, status, new Dictionary<string, double>(), reason, at);
}

/// <summary>A pollen API: levels per area for one day. Failures are results with a reason, never exceptions.</summary>
public interface IPollenProvider
{
    string Name { get; }

    /// <summary>The areas' levels on <paramref name="date"/>, one result per area, in any order; and how many requests it took.</summary>
    Task<(IReadOnlyList<AreaPollen> Results, int Requests)> FetchAsync(IReadOnlyList<ForecastArea> areas, LocalDate date, CancellationToken cancellationToken = default);
}

/// <summary>The day's provider answers per area, kept in the store so that a day's runs ask once.</summary>
public interface IPollenForecastCache
{
    Task<IReadOnlyList<AreaPollen>> ReadAsync(LocalDate date, CancellationToken cancellationToken = default);

    /// <summary>Stores the answers, replacing what the store had for the same area and day.</summary>
    Task SaveAsync(IReadOnlyCollection<AreaPollen> forecasts, CancellationToken cancellationToken = default);
}

/// <summary>The levels as both stores and the pollen command write them: a JSON object of pollen type → grains/m³, by type.</summary>
public static class PollenLevelsJson
{
    /// <summary>The levels in type order, for a serialiser: the same levels always read the same.</summary>
    public static SortedDictionary<string, double> Ordered(IReadOnlyDictionary<string, double> levels) =>
        new(levels.ToDictionary(), StringComparer.Ordinal);

    public static string Serialize(IReadOnlyDictionary<string, double> levels) => System.Text.Json.JsonSerializer.Serialize(Ordered(levels));

    public static IReadOnlyDictionary<string, double> Parse(string json) =>
        System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, double>>(json) ?? [];
}
