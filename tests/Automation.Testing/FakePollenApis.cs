using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using NodaTime;

namespace Automation.Testing;

/// <summary>
/// Open-Meteo's air-quality API and Google's Pollen API, served by Kestrel on 127.0.0.1 and shaped after
/// the real ones. Open-Meteo: several comma-separated coordinates answer a list, one answers an object;
/// each has <c>utc_offset_seconds</c>, <c>timezone</c>, <c>hourly_units</c> and <c>hourly.time</c> in
/// local time with one array per variable; places without pollen get nulls, as outside Europe; a refused
/// coordinate makes the whole request a 400 <c>{"error": true, "reason"}</c>. Google: one location per
/// request, <c>dailyInfo[].pollenTypeInfo[]</c> and <c>plantInfo[]</c> with <c>indexInfo</c> only in
/// season, 400 INVALID_ARGUMENT for a place it does not cover, 403 for a wrong key. Tests script other
/// answers (5xx, a response that never comes) in order.
/// </summary>
public sealed class FakePollenApis : IAsyncDisposable
{
    public const string GoogleKey = "synthetic-google-key-not-a-secret";
    private static readonly string[] OpenMeteoTypes = ["alder", "birch", "grass", "mugwort", "olive", "ragweed"];
    private WebApplication _app = null!;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _script = new();

    public string BaseUrl { get; private set; } = "";

    /// <summary>The first day of every forecast: "today" for the API.</summary>
    public LocalDate Today { get; set; }

    /// <summary>Every request's path and query, in arrival order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Open-Meteo places with pollen: hourly grains/m³ by type and local time (null: no value that hour).</summary>
    public ConcurrentDictionary<(double Latitude, double Longitude), OpenMeteoPlace> OpenMeteoPlaces { get; } = new();

    /// <summary>Coordinates Open-Meteo refuses with a 400.</summary>
    public ConcurrentDictionary<(double Latitude, double Longitude), string> RefusedCoordinates { get; } = new();

    /// <summary>Google places it covers: per day, Universal Pollen Index per code (GRASS, TREE, WEED or a plant); absent means out of season.</summary>
    public ConcurrentDictionary<(double Latitude, double Longitude), Func<LocalDate, IReadOnlyDictionary<string, int>>> GooglePlaces { get; } = new();

    public static async Task<FakePollenApis> StartAsync()
    {
        var fake = new FakePollenApis();
        (fake._app, fake.BaseUrl) = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet("/v1/air-quality", context => fake.AnswerAsync(context, fake.OpenMeteoAsync));
            app.MapGet("/v1/forecast:lookup", context => fake.AnswerAsync(context, fake.GoogleAsync));
        });
        return fake;
    }

    /// <summary>The next request gets this answer instead of the usual one.</summary>
    public void Then(Func<HttpContext, Task> answer) => _script.Enqueue(answer);

    public void ThenServerError(int status = 503) => Then(async context =>
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsync("upstream unavailable");
    });

    /// <summary>Never answers: the client's timeout decides.</summary>
    public void ThenHang() => Then(context => Task.Delay(Timeout.Infinite, context.RequestAborted));

    public int RequestsTo(string path) => Requests.Count(r => r.StartsWith(path, StringComparison.Ordinal));

    private async Task AnswerAsync(HttpContext context, Func<HttpContext, Task> usual)
    {
        Requests.Enqueue(context.Request.Path + context.Request.QueryString);
        if (_script.TryDequeue(out var scripted)) await scripted(context);
        else await usual(context);
    }

    private async Task OpenMeteoAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var latitudes = Numbers(query["latitude"]);
        var longitudes = Numbers(query["longitude"]);
        if (latitudes.Count != longitudes.Count || latitudes.Count == 0)
        {
            await OpenMeteoErrorAsync(context, "Parameter 'latitude' and 'longitude' must have the same number of elements");
            return;
        }

        if (latitudes.Zip(longitudes).FirstOrDefault(p => RefusedCoordinates.ContainsKey(p)) is var refused && RefusedCoordinates.TryGetValue(refused, out var reason))
        {
            await OpenMeteoErrorAsync(context, reason);
            return;
        }

        var forecastDays = int.Parse(query["forecast_days"].FirstOrDefault() ?? "5", CultureInfo.InvariantCulture);
        var pastDays = int.Parse(query["past_days"].FirstOrDefault() ?? "0", CultureInfo.InvariantCulture);
        var variables = (query["hourly"].FirstOrDefault() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var locations = latitudes.Zip(longitudes).Select(p => OpenMeteoLocation(p, variables, Today.PlusDays(-pastDays), pastDays + forecastDays)).ToList();
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(locations.Count == 1 ? locations[0] : (object)locations));
    }

    private Dictionary<string, object> OpenMeteoLocation((double Latitude, double Longitude) point, string[] variables, LocalDate first, int days)
    {
        var place = OpenMeteoPlaces.GetValueOrDefault(point) ?? new OpenMeteoPlace("GMT", 0, (_, _) => null);
        var hours = Enumerable.Range(0, days * 24).Select(h => first.AtMidnight().PlusHours(h)).ToList();
        var hourly = new Dictionary<string, object> { ["time"] = hours.Select(h => h.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture)).ToList() };
        var units = new Dictionary<string, string> { ["time"] = "iso8601" };
        foreach (var variable in variables)
        {
            var type = variable.Replace("_pollen", "", StringComparison.Ordinal);
            if (!OpenMeteoTypes.Contains(type)) continue;
            units[variable] = place.Unit;
            hourly[variable] = hours.Select(h => place.Level(type, h)).ToList();
        }

        return new Dictionary<string, object>
        {
            // The API snaps to its grid: the coordinates it answers are near, not equal, to those asked.
            ["latitude"] = Math.Round(point.Latitude - 0.01, 2),
            ["longitude"] = Math.Round(point.Longitude + 0.01, 2),
            ["generationtime_ms"] = 0.4,
            ["utc_offset_seconds"] = place.UtcOffsetSeconds,
            ["timezone"] = place.TimeZone,
            ["timezone_abbreviation"] = place.TimeZone == "GMT" ? "GMT" : "CET",
            ["elevation"] = 408.0,
            ["hourly_units"] = units,
            ["hourly"] = hourly,
        };
    }

    private static async Task OpenMeteoErrorAsync(HttpContext context, string reason)
    {
        context.Response.StatusCode = 400;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { error = true, reason }));
    }

    private async Task GoogleAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (query["key"].FirstOrDefault() != GoogleKey)
        {
            await GoogleErrorAsync(context, 403, "Permission denied on resource project.", "PERMISSION_DENIED");
            return;
        }

        var point = (Number(query["location.latitude"]), Number(query["location.longitude"]));
        if (!GooglePlaces.TryGetValue(point, out var indexes))
        {
            await GoogleErrorAsync(context, 400, "Information is not supported for this location. Please try a different location.", "INVALID_ARGUMENT");
            return;
        }

        var days = int.Parse(query["days"].FirstOrDefault() ?? "1", CultureInfo.InvariantCulture);
        var dailyInfo = Enumerable.Range(0, days).Select(d => Today.PlusDays(d)).Select(date =>
        {
            var index = indexes(date);
            return new Dictionary<string, object>
            {
                ["date"] = new { year = date.Year, month = date.Month, day = date.Day },
                ["pollenTypeInfo"] = new[] { "GRASS", "TREE", "WEED" }.Select(code => GoogleInfo(code, index)).ToList(),
                ["plantInfo"] = new[] { "BIRCH", "OAK", "ALDER", "OLIVE", "GRAMINALES", "RAGWEED", "MUGWORT" }.Select(code => GoogleInfo(code, index)).ToList(),
            };
        }).ToList();
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { regionCode = "US", dailyInfo }));
    }

    private static Dictionary<string, object> GoogleInfo(string code, IReadOnlyDictionary<string, int> index)
    {
        var info = new Dictionary<string, object> { ["code"] = code, ["displayName"] = code[..1] + code[1..].ToLowerInvariant() };
        if (!index.TryGetValue(code, out var value))
        {
            info["inSeason"] = false;
            return info;
        }

        info["inSeason"] = true;
        info["indexInfo"] = new
        {
            code = "UPI",
            displayName = "Universal Pollen Index",
            value,
            category = new[] { "None", "Very Low", "Low", "Moderate", "High", "Very High" }[value],
            indexDescription = "synthetic",
            color = new { green = 0.6, blue = 0.2 },
        };
        return info;
    }

    private static async Task GoogleErrorAsync(HttpContext context, int status, string message, string code)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { error = new { code = status, message, status = code } }));
    }

    private static List<double> Numbers(Microsoft.Extensions.Primitives.StringValues values) =>
        (values.FirstOrDefault() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToList();

    private static double Number(Microsoft.Extensions.Primitives.StringValues values) => double.Parse(values.FirstOrDefault() ?? "nan", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>An Open-Meteo place: its zone (times are local to it) and grains/m³ per type and local hour.</summary>
public sealed record OpenMeteoPlace(string TimeZone, int UtcOffsetSeconds, Func<string, LocalDateTime, double?> Level, string Unit = "grains/m³");
