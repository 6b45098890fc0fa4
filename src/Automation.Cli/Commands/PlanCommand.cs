using Automation.Profiles.Storage;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Automation.Personalization;
using Automation.Hosting;
using Automation.Planning;
using Microsoft.Extensions.DependencyInjection;
using NodaTime.Text;
using Spectre.Console;

namespace Automation.Cli.Commands;

internal static class PlanCommand
{
    /// <summary>The table shows this many messages; --json lists them all.</summary>
    private const int MessagesShown = 20;

    public static Command Create()
    {
        var date = GlobalOptions.CreateDate();
        var dryRun = new Option<bool>("--dry-run") { Description = "Report what would be planned; record nothing." };
        var json = GlobalOptions.CreateJson();
        var command = new Command("plan", "Decide who gets which message on a day, apply every policy, and record the decisions.") { date, dryRun, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = CliHost.Build(parse);
            var days = await PlanningDay.DaysAsync(parse, date, services, cancellationToken);
            if (days.Count == 0 && !parse.GetValue(json)) WriteNothingOwed(services);
            foreach (var day in days)
            {
                var messages = new List<PlannedMessage>();
                var summary = await PlanAsync(services, day, parse.GetValue(dryRun), messages.Add, cancellationToken);
                if (parse.GetValue(json)) WriteJson(summary, messages);
                else WriteTable(summary, messages);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static void WriteNothingOwed(IServiceProvider services) =>
        AnsiConsole.MarkupLine($"Nothing to plan: every day through {LocalDatePattern.Iso.Format(services.GetRequiredService<PipelineJobs>().Ahead())} is planned (--date plans a given day).");

    public static async Task<PlanSummary> PlanAsync(
        IServiceProvider services, NodaTime.LocalDate day, bool dryRun, Action<PlannedMessage> onPlanned, CancellationToken cancellationToken)
    {
        // Templates load before the pass, so a broken one stops the run before any decision is recorded.
        _ = services.GetRequiredService<MessageRenderer>().Catalog;
        return await services.GetRequiredService<PlanningService>().PlanAsync(day, dryRun, onPlanned, cancellationToken);
    }

    private static void WriteJson(PlanSummary summary, List<PlannedMessage> messages)
    {
        var output = new
        {
            date = LocalDatePattern.Iso.Format(summary.Date),
            dryRun = summary.DryRun,
            blockedBy = summary.BlockedBy.Select(e => new { file = e.Name, reason = e.Reason }),
            customers = summary.Customers,
            planned = summary.Planned,
            heldOut = summary.HeldOut,
            alreadyPlanned = summary.AlreadyPlanned,
            suppressed = summary.Suppressed,
            byTrigger = summary.ByTrigger,
            messages = messages.Select(m => new
            {
                messageId = m.MessageId,
                customerId = m.CustomerId,
                trigger = m.Trigger,
                sendAt = InstantPattern.ExtendedIso.Format(m.SendAt),
                reason = m.Reason,
            }),
        };
        Console.Out.WriteLine(JsonSerializer.Serialize(output, CliJson.Options));
    }

    public static void WriteTable(PlanSummary summary, List<PlannedMessage> messages)
    {
        var title = $"Plan for {LocalDatePattern.Iso.Format(summary.Date)}" + (summary.DryRun ? " (dry run: nothing recorded)" : "") +
            (summary.Late ? " (late: the day's send window has closed in the earliest time zones; customers whose window closed are suppressed with send_window_passed)" : "");
        if (summary.BlockedBy.Count > 0)
        {
            AnsiConsole.MarkupLine($"[bold]{CliFormat.Text(title)}[/]: [red]blocked[/]");
            AnsiConsole.MarkupLine("  [red]" + CliFormat.Text(IncompleteConsentsExport.Blocking(summary.BlockedBy, "is planned")) + "[/]");
            return;
        }

        AnsiConsole.MarkupLine($"[bold]{CliFormat.Text(title)}[/]: {CliFormat.Count(summary.Customers)} customers");
        AnsiConsole.MarkupLine($"  planned {CliFormat.Count(summary.Planned)}, held out {CliFormat.Count(summary.HeldOut)}, already planned earlier {CliFormat.Count(summary.AlreadyPlanned)}, suppressed {CliFormat.Count(summary.Suppressed.Values.Sum())}");
        foreach (var (trigger, count) in summary.ByTrigger) AnsiConsole.MarkupLine($"  [green]{CliFormat.Text(trigger)}[/]: {CliFormat.Count(count)} planned");
        foreach (var (reason, count) in summary.Suppressed) AnsiConsole.MarkupLine($"  [grey]suppressed: {CliFormat.Text(reason)}[/] {CliFormat.Count(count)}");
        if (messages.Count == 0) return;

        var table = new Table().AddColumns("Message", "Customer", "Trigger", "Send at (UTC)", "Reason");
        foreach (var m in messages.Take(MessagesShown))
        {
            table.AddRow(m.MessageId.Value, CliFormat.Text(m.CustomerId.Value), m.Trigger.Value,
                m.SendAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), CliFormat.Text(m.Reason));
        }

        AnsiConsole.Write(table);
        if (messages.Count > MessagesShown) AnsiConsole.MarkupLine($"… and {CliFormat.Count(messages.Count - MessagesShown)} more (--json lists them all).");
    }
}
