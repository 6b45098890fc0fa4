using System.CommandLine;
using System.Text.Json;
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
        Option<string?> TextOption(string name, string description) => new(name) { Description = description };
        var from = TextOption("--from", "First planned day read, YYYY-MM-DD (default: 90 days before --to).");
        var to = TextOption("--to", "Last planned day read, YYYY-MM-DD (default: --as-of).");
        var asOf = TextOption("--as-of", "The day the report is for, YYYY-MM-DD (default: today in UTC); a decision whose window has not ended by then is pending.");
        var window = TextOption("--window-days", $"Days after the send time in which a purchase counts (default {OutcomeQuery.DefaultWindowDays}).");
        var trigger = TextOption("--trigger", "One trigger (default: every trigger).");
        var html = TextOption("--html", "Also write the report as one self-contained HTML page with charts to this file.");
        var json = GlobalOptions.CreateJson();
        var command = new Command("report", "Per trigger: customers messaged and held out, their purchase rates in the window, the uplift with its 95% interval, and what it means.")
        {
            from, to, asOf, window, trigger, html, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = CliHost.Build(parse);
            var problems = new List<string>();
            var query = OutcomeQuery.Parse(parse.GetValue(from), parse.GetValue(to), parse.GetValue(asOf), parse.GetValue(window), parse.GetValue(trigger),
                services.GetRequiredService<IClock>().GetCurrentInstant().InUtc().Date, problems);
            if (query is null) throw new SettingsException(string.Join(" ", problems.Select(p => "--" + p)));
            var report = await services.GetRequiredService<OutcomeReport>().BuildAsync(query, cancellationToken);
            if (parse.GetValue(html) is { Length: > 0 } page)
            {
                await File.WriteAllTextAsync(page, OutcomeReportHtml.Render(report), cancellationToken);
                Console.Error.WriteLine($"Wrote the report page to {page}.");
            }

            if (parse.GetValue(json)) Console.Out.WriteLine(JsonSerializer.Serialize(report, OutcomeReportHttp.Json));
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
            foreach (var (currency, revenue) in outcome.RevenuePerCustomer)
            {
                AnsiConsole.MarkupLine(CliFormat.Text($"  Revenue per customer in {currency}: messaged {ReportFormat.Money(revenue.Messaged)}, held out {ReportFormat.Money(revenue.HeldOut)}" +
                    (revenue.Uplift is { } u ? $", uplift {ReportFormat.Money(u)} (95% interval {ReportFormat.Money(revenue.UpliftLow)} to {ReportFormat.Money(revenue.UpliftHigh)}), incremental {ReportFormat.Money(revenue.IncrementalRevenue)}" : "")));
            }

            var events = outcome.Events;
            AnsiConsole.MarkupLine(CliFormat.Text($"  Provider reports on {events.Sent:N0} sent: delivered {ReportFormat.Percent(events.Rates.Delivered)}, bounced {ReportFormat.Percent(events.Rates.Bounced)}, " +
                $"dropped {ReportFormat.Percent(events.Rates.Dropped)}, opened {ReportFormat.Percent(events.Rates.Opened)} (not used for uplift), clicked {ReportFormat.Percent(events.Rates.Clicked)}, " +
                $"unsubscribed {ReportFormat.Percent(events.Rates.Unsubscribed)}, spam reports {ReportFormat.Percent(events.Rates.SpamReports)}"));
            AnsiConsole.MarkupLine("  " + CliFormat.Text(outcome.Verdict));
        }
    }
}
