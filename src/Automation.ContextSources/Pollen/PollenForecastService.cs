using Automation.ContextSources.Areas;
using Automation.Planning.Context;
using Automation.Profiles.Model;
using NodaTime;

namespace Automation.ContextSources.Pollen;

/// <summary>One area's pollen for the day and where it came from.</summary>
public sealed record AreaPollenReport(ForecastArea Area, AreaPollen Pollen, bool FromCache);

/// <summary>A day's pollen for every area in use, and what it cost to get.</summary>
public sealed record PollenDay(LocalDate Date, IReadOnlyList<AreaPollenReport> Areas, int Requests, PollenForecasts Forecasts);

/// <summary>
/// The day's pollen from the providers, for the areas ingestion keeps (no customer is read). Each area
/// is asked once a day: final answers (levels, no data, refused location) are cached in the store and
/// reused by every later run for the same day; failures are recorded with their reason and asked again
/// by the next run. An area without levels gets no pollen message that day.
/// </summary>
public sealed class PollenForecastService(
    IForecastAreaStore areas,
    IPollenForecastCache cache,
    IEnumerable<IPollenProvider> providers,
    PollenContextSettings settings,
    AreaLocator locator,
    IClock clock) : IPollenForecastSource
{
    private readonly Dictionary<string, IPollenProvider> _providers = providers.ToDictionary(p => p.Name, StringComparer.Ordinal);

    public async Task<PollenForecasts> LoadAsync(LocalDate date, CancellationToken cancellationToken = default) =>
        (await RefreshAsync(date, cancellationToken)).Forecasts;

    public async Task<PollenDay> RefreshAsync(LocalDate date, CancellationToken cancellationToken = default)
    {
        var inUse = new List<ForecastArea>();
        await foreach (var area in areas.ReadAreasAsync(cancellationToken)) inUse.Add(area);
        // In a fixed order, so that the same areas make the same requests on every backend.
        inUse.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        var cached = (await cache.ReadAsync(date, cancellationToken)).ToDictionary(c => c.AreaId, StringComparer.Ordinal);

        var reports = new List<AreaPollenReport>(inUse.Count);
        var toAsk = new Dictionary<string, List<ForecastArea>>(StringComparer.Ordinal);
        foreach (var area in inUse)
        {
            if (cached.TryGetValue(area.Id, out var known) && known.IsFinal)
            {
                reports.Add(new AreaPollenReport(area, known, FromCache: true));
            }
            else if (settings.ProviderFor(area.Country) is { } provider)
            {
                if (!toAsk.TryGetValue(provider, out var list)) toAsk[provider] = list = [];
                list.Add(area);
            }
            else
            {
                reports.Add(new AreaPollenReport(area, AreaPollen.Without(area, date, "none", ForecastStatus.NotServed,
                    $"no pollen provider serves {area.Country} ({PollenContextSettings.Section}:OpenMeteo:Countries, :Google:Countries)", clock.GetCurrentInstant()), false));
            }
        }

        var requests = 0;
        foreach (var (provider, asked) in toAsk)
        {
            var byId = asked.ToDictionary(a => a.Id, StringComparer.Ordinal);
            var (answers, made) = await _providers[provider].FetchAsync(asked, date, cancellationToken);
            requests += made;
            await cache.SaveAsync(answers, cancellationToken);
            reports.AddRange(answers.Select(answer => new AreaPollenReport(byId[answer.AreaId], answer, FromCache: false)));
        }

        reports.Sort((a, b) => string.CompareOrdinal(a.Area.Id, b.Area.Id));
        var forecasts = reports.ToDictionary(
            r => r.Area.Id,
            r => r.Pollen.Status == ForecastStatus.Available
                ? new AreaForecast(r.Area.Id, null, date, r.Pollen.Levels)
                : AreaForecast.WithoutLevels(r.Area.Id, date, r.Pollen.Reason ?? r.Pollen.Status.ToString()),
            StringComparer.Ordinal);
        return new PollenDay(date, reports, requests, new PollenForecasts(date, forecasts, new GridAreas(locator)));
    }

    private sealed class GridAreas(AreaLocator locator) : ICustomerAreas
    {
        public string? AreaOf(CustomerProfile profile) => locator.Locate(profile)?.Id;

        public string WhyNoArea(CustomerProfile profile) => AreaLocator.WhyNoArea(profile);
    }
}
