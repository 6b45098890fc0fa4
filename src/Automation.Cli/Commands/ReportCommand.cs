using System.CommandLine;
using System.Text.Json;
using Automation.Messages;
using Automation.Reporting.Outcomes;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Spectre.Console;

namespace Automation.Cli.Commands;

/// <summary>What the messages did, per trigger, against the holdout: docs/reporting.md.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        Option<string?> DateOption(string name, string description) => new(name) { Description = description };
        var from = DateOption("--from", "First planned day read, YYYY-MM-DD (default: 90 days before --to).");
        var to = DateOption("--to", "Last planned day read, YYYY-MM-DD (default: --as-of).");
        var asOf = DateOption("--as-of", "The day the report is for, YYYY-MM-DD (default: today in UTC); a decision whose window has not ended by then is pending.");
        var window = new Option<int>("--window-days") { Description = "Days after the planned day in which a purchase counts (default 14).", DefaultValueFactory = _ => 14 };
        var trigger = new Option<string?>("--trigger") { Description = "One trigger (default: every trigger)." };
        var json = GlobalOptions.CreateJson();
        var command = new Command("report", "Per trigger: customers messaged and held out, their purchase rates in the window, the uplift with its 95% interval, and what it means.")
        {
            from, to, asOf, window, trigger, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var windowDays = parse.GetValue(window);
            if (windowDays is < 1 or > 365) throw new SettingsException($"--window-days must be a whole number of days from 1 to 365, got {windowDays}.");
            await using var services = CliHost.Build(parse);
            var day = PlanningDay.Given(parse, asOf) ?? services.GetRequiredService<IClock>().GetCurrentInstant().InUtc().Date;
            var last = PlanningDay.Given(parse, to) ?? day;
            var first = PlanningDay.Given(parse, from) ?? last.PlusDays(-90);
            if (first > last) throw new SettingsException("--from must not be after --to.");
            var only = parse.GetValue(trigger) is { } name ? new TriggerName(name) : (TriggerName?)null;
            var report = await services.GetRequiredService<OutcomeReport>().BuildAsync(new OutcomeQuery(first, last, day, windowDays, only), cancellationToken);
            if (parse.GetValue(json)) Console.Out.WriteLine(JsonSerializer.Serialize(report, CliJson.Options));
            else WriteTables(report);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteTables(OutcomeReportResult report)
    {
        AnsiConsole.MarkupLine(CliFormat.Text($"Decisions planned {report.From} to {report.To}, purchases within {report.WindowDays} days, as of {report.AsOf}."));
        if (report.Triggers.Count == 0) AnsiConsole.MarkupLine("  no decision to mail or hold out in the period");
        foreach (var outcome in report.Triggers)
        {
            var table = new Table().Title(CliFormat.Text(outcome.Trigger))
                .AddColumns("Locale", "Planned", "Pending", "Messaged", "Held out", "Bought (messaged)", "Bought (held out)", "Uplift (points, 95% interval)");
            foreach (var row in outcome.ByLocale.Append(outcome with { Locale = "all" }))
            {
                table.AddRow(CliFormat.Text(row.Locale), CliFormat.Count(row.Planned), CliFormat.Count(row.Pending), CliFormat.Count(row.Messaged), CliFormat.Count(row.HeldOut),
                    ReportFormat.Percent(row.Conversion.Messaged), ReportFormat.Percent(row.Conversion.HeldOut),
                    row.Uplift is { } u ? CliFormat.Text($"{ReportFormat.Points(u.Absolute)} ({ReportFormat.Points(u.Low)} to {ReportFormat.Points(u.High)})") : "—");
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine("  " + CliFormat.Text(outcome.Verdict));
        }
    }
}
