using System.Globalization;
using System.Net;
using System.Text.Json;
using Automation.ContextSources.Areas;
using Automation.Planning.Context;
using NodaTime;
using NodaTime.Text;

namespace Automation.ContextSources.Pollen.Google;

/// <summary>
/// Google's Pollen API: <c>GET /v1/forecast:lookup</c>, one location per request, up to 5 days of
/// Universal Pollen Index per type (GRASS, TREE, WEED) and per plant. Our types come from the plants
/// (birch, alder, olive, mugwort, ragweed; grasses from GRAMINALES or the GRASS type), mapped through
/// <see cref="UniversalPollenIndex"/>. A type or plant without an index (out of season) has no level.
/// </summary>
public sealed class GooglePollenProvider(IHttpClientFactory httpClients, PollenContextSettings settings, IClock clock) : IPollenProvider
{
    public const string HttpClientName = "GooglePollen";
    private const int MaxDays = 5;

    private static readonly Dictionary<string, string> Plants = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["BIRCH"] = PollenTypes.Birch,
        ["ALDER"] = PollenTypes.Alder,
        ["OLIVE"] = PollenTypes.Olive,
        ["MUGWORT"] = PollenTypes.Mugwort,
        ["RAGWEED"] = PollenTypes.Ragweed,
        ["GRAMINALES"] = PollenTypes.Grass,
    };

    public string Name => ProviderNames.Google;

    public async Task<(IReadOnlyList<AreaPollen> Results, int Requests)> FetchAsync(
        IReadOnlyList<ForecastArea> areas, LocalDate date, CancellationToken cancellationToken = default)
    {
        var today = clock.GetCurrentInstant().InUtc().Date;
        var daysAhead = Period.Between(today, date, PeriodUnits.Days).Days;
        if (daysAhead is < -1 or >= MaxDays)
        {
            var now = clock.GetCurrentInstant();
            var reason = $"Google Pollen forecasts today and the next {MaxDays - 1} days; {LocalDatePattern.Iso.Format(date)} is outside that";
            return (areas.Select(area => AreaPollen.Without(area, date, Name, ForecastStatus.NoData, reason, now)).ToList(), 0);
        }

        var http = new ProviderHttp(httpClients.CreateClient(HttpClientName), settings);
        var results = new AreaPollen[areas.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, areas.Count),
            new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrentRequests, CancellationToken = cancellationToken },
            async (i, token) => results[i] = await FetchAsync(http, areas[i], date, Math.Clamp(daysAhead + 2, 1, MaxDays), token));
        return (results, areas.Count);
    }

    private async Task<AreaPollen> FetchAsync(ProviderHttp http, ForecastArea area, LocalDate date, int days, CancellationToken cancellationToken)
    {
        var url = string.Create(CultureInfo.InvariantCulture,
            $"v1/forecast:lookup?location.latitude={area.Centre.Latitude:0.00}&location.longitude={area.Centre.Longitude:0.00}&days={days}&plantsDescription=false&key={Uri.EscapeDataString(settings.Google.ApiKey ?? "")}");
        var answer = await http.GetAsync(url, cancellationToken);
        var now = clock.GetCurrentInstant();
        if (answer.Status == HttpStatusCode.BadRequest)
        {
            return AreaPollen.Without(area, date, Name, ForecastStatus.Unsupported, "Google Pollen refused the location: " + ErrorMessage(answer.Body), now);
        }

        if (!answer.IsSuccess)
        {
            var detail = answer.Status is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized
                ? $"; check {PollenContextSettings.Section}:Google:ApiKey and that the Pollen API is enabled for it ({ErrorMessage(answer.Body)})"
                : "";
            return AreaPollen.Without(area, date, Name, ForecastStatus.Failed, answer.Describe("Google Pollen") + detail, now);
        }

        try
        {
            using var document = JsonDocument.Parse(answer.Body);
            return Read(area, document.RootElement, date, now);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException or ArgumentOutOfRangeException)
        {
            return AreaPollen.Without(area, date, Name, ForecastStatus.Failed, "Google Pollen's answer could not be read: " + ex.Message, now);
        }
    }

    private AreaPollen Read(ForecastArea area, JsonElement root, LocalDate date, Instant now)
    {
        var on = LocalDatePattern.Iso.Format(date);
        var day = root.TryGetProperty("dailyInfo", out var daily)
            ? daily.EnumerateArray().FirstOrDefault(d => DateOf(d.GetProperty("date")) == date)
            : default;
        if (day.ValueKind != JsonValueKind.Object)
        {
            return AreaPollen.Without(area, date, Name, ForecastStatus.NoData, $"Google Pollen's forecast does not cover {on}", now);
        }

        var levels = new SortedDictionary<string, double>(StringComparer.Ordinal);
        void Take(string type, JsonElement info)
        {
            if (!info.TryGetProperty("indexInfo", out var index) || !index.TryGetProperty("value", out var value)) return;
            var grains = UniversalPollenIndex.ToGrainsPerCubicMetre(PollenTypes.GroupOf(type), value.GetInt32());
            levels[type] = Math.Max(grains, levels.GetValueOrDefault(type));
        }

        if (day.TryGetProperty("pollenTypeInfo", out var types))
        {
            foreach (var info in types.EnumerateArray().Where(t => t.GetProperty("code").GetString() == "GRASS")) Take(PollenTypes.Grass, info);
        }

        if (day.TryGetProperty("plantInfo", out var plants))
        {
            foreach (var info in plants.EnumerateArray())
            {
                if (Plants.TryGetValue(info.GetProperty("code").GetString() ?? "", out var type)) Take(type, info);
            }
        }

        return levels.Count == 0
            ? AreaPollen.Without(area, date, Name, ForecastStatus.NoData, $"Google Pollen has no index for grass, birch, alder, olive, mugwort or ragweed on {on} (out of season)", now)
            : new AreaPollen(area.Id, date, Name, ForecastStatus.Available, levels, null, now);
    }

    private static LocalDate DateOf(JsonElement date) =>
        new(date.GetProperty("year").GetInt32(), date.GetProperty("month").GetInt32(), date.GetProperty("day").GetInt32());

    /// <summary>Google explains errors as <c>{"error": {"code", "message", "status"}}</c>; the message never holds the key.</summary>
    private static string ErrorMessage(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("error", out var error) && error.TryGetProperty("message", out var message) && message.GetString() is { } text)
            {
                return error.TryGetProperty("status", out var status) ? $"{text} ({status.GetString()})" : text;
            }
        }
        catch (JsonException)
        {
        }

        return "no explanation in the answer";
    }
}
