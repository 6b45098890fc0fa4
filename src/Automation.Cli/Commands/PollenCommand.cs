using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Automation.ContextSources.Areas;
using Automation.ContextSources.Pollen;
using Automation.Planning;
using Automation.Planning.Context;
using Automation.Planning.Policies;
using Automation.Planning.Settings;
using Automation.Planning.Triggers;
using Automation.Profiles.Storage;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;
using Spectre.Console;

namespace Automation.Cli.Commands;

/// <summary>
/// A day's pollen per forecast area (fetched, or reused from the store's cache, exactly as the plan gets
/// it) and how many customers each area holds and how many the pollen trigger would reach: the plan of
/// the day before, which warns about this day, run as a dry run.
/// </summary>
internal static class PollenCommand
{
    private const int AreaBatch = 1_000;

    public static Command Create()
    {
        var date = new Option<string?>("--date") { Description = "The forecast day, YYYY-MM-DD (default: tomorrow, the day today's plan warns about)." };
        var rebuild = new Option<bool>("--rebuild-areas")
        {
            Description = "First rebuild the set of forecast areas from every profile (after an upgrade, or a new places table).",
        };
        var json = GlobalOptions.CreateJson();
        var command = new Command("pollen", "The day's pollen levels per forecast area, and how many customers each would reach.") { date, rebuild, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = CliHost.Build(parse);
            var day = PlanningDay.From(parse, date, services);
            if (parse.GetValue(date) is null) day = day.PlusDays(1);
            if (parse.GetValue(rebuild)) await RebuildAreasAsync(services, parse.GetValue(json), cancellationToken);
            var details = services.GetService<PollenForecastService>() is { } providers ? await providers.RefreshAsync(day, cancellationToken) : null;
            var forecasts = details?.Forecasts ?? await services.GetRequiredService<IPollenForecastSource>().LoadAsync(day, cancellationToken);
            var reach = await CountReachAsync(services, forecasts, day, cancellationToken);
            var settings = services.GetRequiredService<PlanningSettings>().Pollen;
            var reports = details?.Areas.ToDictionary(r => r.Area.Id, StringComparer.Ordinal);
            var rows = forecasts.Areas.OrderBy(a => a.AreaId, StringComparer.Ordinal).Select(area => new AreaRow(
                area,
                reports?.GetValueOrDefault(area.AreaId),
                reach.Customers.GetValueOrDefault(area.AreaId),
                reach.Reached.GetValueOrDefault(area.AreaId))).ToList();
            if (parse.GetValue(json)) WriteJson(day, rows, details, reach, settings);
            else Write(day, rows, details, reach, settings);
            return ExitCodes.Success;
        });
        return command;
    }

    private sealed record AreaRow(AreaForecast Forecast, AreaPollenReport? Report, long Customers, long Reached);

    private sealed record Reach(Dictionary<string, long> Customers, Dictionary<string, long> Reached, long WithoutArea, LocalDate PlanDate);

    /// <summary>Every customer once, through the planning feed: the plan of the day before as a dry run.</summary>
    private static async Task<Reach> CountReachAsync(ServiceProvider services, PollenForecasts forecasts, LocalDate day, CancellationToken cancellationToken)
    {
        var planner = services.GetRequiredService<CustomerPlanner>();
        var now = services.GetRequiredService<IClock>().GetCurrentInstant();
        var planDate = day.PlusDays(-1);
        var context = await services.GetRequiredService<PlanningService>().LoadContextAsync(forecasts, cancellationToken);
        var customers = new Dictionary<string, long>(StringComparer.Ordinal);
        var reached = new Dictionary<string, long>(StringComparer.Ordinal);
        var withoutArea = 0L;
        var feed = services.GetRequiredService<IPlanningFeed>();
        foreach (var range in await feed.GetRangesAsync(cancellationToken))
        {
            await foreach (var (profile, history) in feed.ReadRangeAsync(range, now, cancellationToken))
            {
                if (forecasts.CustomerAreas.AreaOf(profile) is not { } area)
                {
                    withoutArea++;
                    continue;
                }

                customers[area] = customers.GetValueOrDefault(area) + 1;
                var decisions = planner.Plan(profile, history, context, planDate, now);
                if (decisions?.Any(d => d.Trigger.Name == PollenTrigger.TriggerName && d.Outcome == DecisionOutcome.Planned) == true)
                {
                    reached[area] = reached.GetValueOrDefault(area) + 1;
                }
            }
        }

        return new Reach(customers, reached, withoutArea, planDate);
    }

    private static async Task RebuildAreasAsync(ServiceProvider services, bool quiet, CancellationToken cancellationToken)
    {
        var locator = services.GetRequiredService<AreaLocator>();
        var store = services.GetRequiredService<IForecastAreaStore>();
        var areas = new HashSet<ForecastArea>();
        var batch = new List<ForecastArea>(AreaBatch);
        var profiles = 0L;
        await foreach (var profile in services.GetRequiredService<ICustomerProfileStore>().ReadAllAsync(cancellationToken))
        {
            profiles++;
            if (locator.Locate(profile) is not { } area || !areas.Add(area)) continue;
            batch.Add(area);
            if (batch.Count < AreaBatch) continue;
            await store.AddAreasAsync(batch, cancellationToken);
            batch.Clear();
        }

        await store.AddAreasAsync(batch, cancellationToken);
        if (!quiet) AnsiConsole.MarkupLine(CliFormat.Text($"Forecast areas rebuilt: {CliFormat.Count(areas.Count)} area(s) from {CliFormat.Count(profiles)} profile(s)."));
    }

    private static void Write(LocalDate day, List<AreaRow> rows, PollenDay? details, Reach reach, PollenSettings settings)
    {
        var on = LocalDatePattern.Iso.Format(day);
        var source = details is null ? "the forecasts file" : $"{CliFormat.Count(details.Requests)} provider request(s), {CliFormat.Count(details.Areas.Count(a => a.FromCache))} area(s) from the store's cache";
        AnsiConsole.MarkupLine(CliFormat.Text($"Pollen on {on} ({source}); reach is the plan of {LocalDatePattern.Iso.Format(reach.PlanDate)} as a dry run."));
        if (!settings.Trigger.Enabled) AnsiConsole.MarkupLine("[yellow]The pollen trigger is disabled (Automation:Triggers:Pollen:Enabled), so it reaches no one.[/]");
        var table = new Table().AddColumns("Area", "Provider", "Levels (grains/m³; * at or above threshold)", "Customers", "Would reach", "Note");
        foreach (var row in rows)
        {
            var levels = row.Forecast.Levels.Count == 0
                ? "none"
                : string.Join(", ", row.Forecast.Levels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l =>
                    string.Create(CultureInfo.InvariantCulture, $"{l.Key} {l.Value:0.#}") + (settings.Thresholds.TryGetValue(l.Key, out var t) && l.Value >= t ? "*" : "")));
            var provider = row.Report is { } report ? $"{report.Pollen.Provider}{(report.FromCache ? " (cached)" : "")}" : "file";
            var note = row.Forecast.Unavailable ?? row.Report?.Pollen.Reason ?? "";
            table.AddRow(CliFormat.Text(row.Forecast.AreaName ?? row.Forecast.AreaId), CliFormat.Text(provider), CliFormat.Text(levels),
                CliFormat.Count(row.Customers), CliFormat.Count(row.Reached), CliFormat.Text(note));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(CliFormat.Text($"{CliFormat.Count(rows.Count)} area(s); {CliFormat.Count(reach.Reached.Values.Sum())} customer(s) would get a pollen message; " +
            $"{CliFormat.Count(reach.WithoutArea)} customer(s) have no forecast area."));
    }

    private static void WriteJson(LocalDate day, List<AreaRow> rows, PollenDay? details, Reach reach, PollenSettings settings)
    {
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            date = LocalDatePattern.Iso.Format(day),
            planDate = LocalDatePattern.Iso.Format(reach.PlanDate),
            triggerEnabled = settings.Trigger.Enabled,
            requests = details?.Requests,
            customersWithoutArea = reach.WithoutArea,
            areas = rows.Select(row => new
            {
                id = row.Forecast.AreaId,
                name = row.Forecast.AreaName,
                provider = row.Report?.Pollen.Provider ?? "file",
                status = row.Report?.Pollen.Status.ToString() ?? (row.Forecast.Unavailable is null ? nameof(ForecastStatus.Available) : nameof(ForecastStatus.NoData)),
                fromCache = row.Report?.FromCache,
                levels = PollenLevelsJson.Ordered(row.Forecast.Levels),
                aboveThreshold = row.Forecast.Levels.Where(l => settings.Thresholds.TryGetValue(l.Key, out var t) && l.Value >= t).Select(l => l.Key).Order(StringComparer.Ordinal),
                reason = row.Forecast.Unavailable ?? row.Report?.Pollen.Reason,
                customers = row.Customers,
                wouldReach = row.Reached,
            }),
        }, CliJson.Options));
    }
}
