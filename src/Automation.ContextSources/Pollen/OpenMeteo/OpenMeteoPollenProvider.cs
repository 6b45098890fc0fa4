using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Automation.ContextSources.Areas;
using Automation.Planning.Context;
using NodaTime;
using NodaTime.Text;

namespace Automation.ContextSources.Pollen.OpenMeteo;

/// <summary>
/// Open-Meteo's air-quality API (CAMS European model): <c>GET /v1/air-quality</c> with several
/// locations per request, hourly pollen in grains/m³, times in each location's own zone
/// (<c>timezone=auto</c>). A type's level for the day is its highest hourly value over the local day,
/// and only when every hour of that day has a value: a day with gaps could hide its peak.
/// </summary>
public sealed class OpenMeteoPollenProvider(IHttpClientFactory httpClients, PollenContextSettings settings, IClock clock) : IPollenProvider
{
    public const string HttpClientName = "OpenMeteo";
    private const string ExpectedUnit = "grains/m³";
    private const int MaxForecastDays = 7;
    private const int MaxPastDays = 92;

    private static readonly IReadOnlyDictionary<string, string> Variables = PollenTypes.All.ToDictionary(type => type + "_pollen", type => type);
    private static readonly string Hourly = string.Join(",", Variables.Keys.Order(StringComparer.Ordinal));

    public string Name => ProviderNames.OpenMeteo;

    public async Task<(IReadOnlyList<AreaPollen> Results, int Requests)> FetchAsync(
        IReadOnlyList<ForecastArea> areas, LocalDate date, CancellationToken cancellationToken = default)
    {
        var http = new ProviderHttp(httpClients.CreateClient(HttpClientName), settings);
        var results = new List<AreaPollen>(areas.Count);
        var requests = 0;
        var gate = new Lock();
        await Parallel.ForEachAsync(areas.Chunk(settings.OpenMeteoLocationsPerRequest),
            new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrentRequests, CancellationToken = cancellationToken },
            async (chunk, token) =>
            {
                var (chunkResults, chunkRequests) = await FetchChunkAsync(http, chunk, date, token);
                lock (gate)
                {
                    results.AddRange(chunkResults);
                    requests += chunkRequests;
                }
            });
        return (results, requests);
    }

    private async Task<(List<AreaPollen>, int)> FetchChunkAsync(ProviderHttp http, ForecastArea[] areas, LocalDate date, CancellationToken cancellationToken)
    {
        var answer = await http.GetAsync(RequestUrl(areas, date), cancellationToken);
        var now = clock.GetCurrentInstant();
        if (answer.Status == HttpStatusCode.BadRequest && areas.Length > 1)
        {
            // One location the API refuses fails the whole request: ask for each alone to find it.
            var results = new List<AreaPollen>();
            var requests = 1;
            foreach (var area in areas)
            {
                var (single, singleRequests) = await FetchChunkAsync(http, [area], date, cancellationToken);
                results.AddRange(single);
                requests += singleRequests;
            }

            return (results, requests);
        }

        if (answer.Status == HttpStatusCode.BadRequest)
        {
            return ([AreaPollen.Without(areas[0], date, Name, ForecastStatus.Unsupported, "Open-Meteo refused the location: " + ErrorReason(answer.Body), now)], 1);
        }

        if (!answer.IsSuccess) return (Failed(areas, date, answer.Describe("Open-Meteo"), now), 1);
        try
        {
            using var document = JsonDocument.Parse(answer.Body);
            // One location answers an object; several answer a list, in the order asked.
            var locations = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.EnumerateArray().ToList() : [document.RootElement];
            if (locations.Count != areas.Length)
            {
                return (Failed(areas, date, $"Open-Meteo answered {locations.Count} location(s) for {areas.Length}", now), 1);
            }

            return (areas.Select((area, i) => Read(area, locations[i], date, now)).ToList(), 1);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            return (Failed(areas, date, "Open-Meteo's answer could not be read: " + ex.Message, now), 1);
        }
    }

    private string RequestUrl(IReadOnlyList<ForecastArea> areas, LocalDate date)
    {
        var daysAhead = Period.Between(clock.GetCurrentInstant().InUtc().Date, date, PeriodUnits.Days).Days;
        var url = new StringBuilder("v1/air-quality?latitude=");
        url.AppendJoin(',', areas.Select(a => a.Centre.Latitude.ToString("0.00", CultureInfo.InvariantCulture)));
        url.Append("&longitude=").AppendJoin(',', areas.Select(a => a.Centre.Longitude.ToString("0.00", CultureInfo.InvariantCulture)));
        url.Append("&hourly=").Append(Hourly).Append("&timezone=auto");
        // A day ahead of UTC's today may already be today where the area is, or the day after: one day of slack each way.
        url.Append(CultureInfo.InvariantCulture, $"&forecast_days={Math.Clamp(daysAhead + 2, 1, MaxForecastDays)}");
        if (daysAhead < 0) url.Append(CultureInfo.InvariantCulture, $"&past_days={Math.Min(MaxPastDays, 1 - daysAhead)}");
        if (settings.OpenMeteo.ApiKey is { } key) url.Append("&apikey=").Append(Uri.EscapeDataString(key));
        return url.ToString();
    }

    private AreaPollen Read(ForecastArea area, JsonElement location, LocalDate date, Instant now)
    {
        var hourly = location.GetProperty("hourly");
        var units = location.TryGetProperty("hourly_units", out var u) ? u : default;
        var hoursOfDay = new List<int>();
        var index = 0;
        foreach (var time in hourly.GetProperty("time").EnumerateArray())
        {
            // Local times ("2026-11-23T14:00") because of timezone=auto: the date part is the area's local day.
            var text = time.GetString() ?? throw new FormatException("hourly.time holds a value that is not a time");
            var local = LocalDateTimePattern.GeneralIso.Parse(text.Length == 16 ? text + ":00" : text).GetValueOrThrow();
            if (local.Date == date) hoursOfDay.Add(index);
            index++;
        }

        var on = LocalDatePattern.Iso.Format(date);
        if (hoursOfDay.Count == 0)
        {
            return AreaPollen.Without(area, date, Name, ForecastStatus.NoData, $"Open-Meteo's forecast does not cover {on}", now);
        }

        var levels = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var leftOut = new List<string>();
        foreach (var (variable, type) in Variables.OrderBy(v => v.Value, StringComparer.Ordinal))
        {
            if (!hourly.TryGetProperty(variable, out var values)) continue;
            if (units.ValueKind == JsonValueKind.Object && units.TryGetProperty(variable, out var unit) && unit.GetString() != ExpectedUnit)
            {
                leftOut.Add($"{type} is in {unit.GetString()}, not {ExpectedUnit}");
                continue;
            }

            var hours = hoursOfDay.Select(i => values[i]).ToList();
            var known = hours.Where(v => v.ValueKind == JsonValueKind.Number).Select(v => v.GetDouble()).ToList();
            if (known.Count == 0) continue;
            if (known.Count < hours.Count)
            {
                leftOut.Add($"{type} has values for {known.Count} of {hours.Count} hours");
                continue;
            }

            levels[type] = known.Max();
        }

        var gaps = leftOut.Count > 0 ? " (left out: " + string.Join("; ", leftOut) + ")" : "";
        if (levels.Count == 0)
        {
            return AreaPollen.Without(area, date, Name, ForecastStatus.NoData,
                $"Open-Meteo has no pollen values for {on} here (it covers Europe, in season){gaps}", now);
        }

        return new AreaPollen(area.Id, date, Name, ForecastStatus.Available, levels, gaps.Length > 0 ? gaps.Trim(' ', '(', ')') : null, now);
    }

    private List<AreaPollen> Failed(IReadOnlyList<ForecastArea> areas, LocalDate date, string reason, Instant now) =>
        areas.Select(area => AreaPollen.Without(area, date, Name, ForecastStatus.Failed, reason, now)).ToList();

    /// <summary>Open-Meteo explains a 400 as <c>{"error": true, "reason": "…"}</c>.</summary>
    private static string ErrorReason(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("reason", out var reason) && reason.GetString() is { } text) return text;
        }
        catch (JsonException)
        {
        }

        return "400 Bad Request";
    }
}
