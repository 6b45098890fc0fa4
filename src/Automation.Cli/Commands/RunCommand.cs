using Automation.Settings;
using System.CommandLine;
using System.Globalization;
using Automation.Delivery;
using Automation.Delivery.Outbox;
using Automation.Delivery.SendGrid;
using Automation.Hosting;
using Automation.Ingestion;
using Automation.Planning;
using Automation.Planning.Settings;
using Automation.Profiles.Storage;
using Automation.Service;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;
using Spectre.Console;

namespace Automation.Cli.Commands;

/// <summary>The main job: ingest the inbox, refit the churn model when due, plan the owed days, deliver what is due, and say what happened.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var date = GlobalOptions.CreateDate();
        var command = new Command("run", $"Ingest the inbox folder ({ServiceSettings.InboxKey}), apply retention when set, plan the day ahead (and a missed day still open), deliver what is due.") { date };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = CliHost.Build(parse);
            var inbox = ReadInbox(services.GetRequiredService<IConfiguration>());
            var delivery = services.GetRequiredService<DeliveryService>();

            AnsiConsole.MarkupLine($"[bold]1. Ingest[/] {CliFormat.Text(inbox)}");
            var usage = CliFormat.Usage(services);
            var ingested = await IngestCommand.IngestAsync(services.GetRequiredService<IngestionService>(), [inbox], GlobalOptions.IsInteractive, cancellationToken);
            IngestCommand.WriteTable(ingested);
            CliFormat.WriteUsage(services, usage, ingested.Where(r => r.Status != FileStatus.Skipped).Sum(r => r.RowsRead), "rows ingested");

            var jobs = services.GetRequiredService<PipelineJobs>();
            if (await jobs.ApplyRetentionAsync(cancellationToken) is { BlockedBy.Count: 0 } retained)
            {
                AnsiConsole.MarkupLine("  Retention: " + CliFormat.Text(retained.Describe()) + (retained.InactiveBefore is { } cutoff
                    ? CliFormat.Text($" (no activity since before {InstantPattern.General.Format(cutoff)})") : ""));
            }

            // The days are known after ingestion: a consents file may have been what stopped an earlier plan.
            var days = await PlanningDay.DaysAsync(parse, date, services, cancellationToken);
            AnsiConsole.MarkupLine("[bold]2. Churn model[/]");
            await RefitChurnModelAsync(services, days.Count > 0 ? days[^1] : jobs.Ahead(), cancellationToken);

            AnsiConsole.MarkupLine("[bold]3. Plan[/]");
            if (days.Count == 0) PlanCommand.WriteNothingOwed(services);
            var blocked = false;
            foreach (var day in days)
            {
                usage = CliFormat.Usage(services);
                var messages = new List<PlannedMessage>();
                var plan = await PlanCommand.PlanAsync(services, day, dryRun: false, messages.Add, cancellationToken);
                PlanCommand.WriteTable(plan, messages);
                CliFormat.WriteUsage(services, usage, plan.Customers, "profiles planned");
                blocked |= plan.BlockedBy.Count > 0;
            }

            AnsiConsole.MarkupLine("[bold]4. Deliver[/]");
            usage = CliFormat.Usage(services);
            var through = days.Count > 0 && days[^1] > jobs.Ahead() ? days[^1] : jobs.Ahead();
            var delivered = await delivery.DeliverAsync(through, cancellationToken);
            WriteDelivery(services, delivered);
            CliFormat.WriteUsage(services, usage, delivered.Sent + delivered.Failed + delivered.Suppressed.Values.Sum(), "messages delivered");

            var failedFiles = ingested.Count(r => r.Status == FileStatus.Failed);
            return failedFiles > 0 || blocked || delivered.Failed > 0 || delivered.Unknown > 0 ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Refits when the latest model is <c>RefitIntervalDays</c> old; a failed fit leaves the previous model (or the interval rule) in force.</summary>
    private static async Task RefitChurnModelAsync(IServiceProvider services, LocalDate day, CancellationToken cancellationToken)
    {
        if (await services.GetRequiredService<PipelineJobs>().RefitChurnModelIfDueAsync(day, cancellationToken) is not { } outcome)
        {
            AnsiConsole.MarkupLine("  [grey]the churn trigger is off: no fit[/]");
            return;
        }

        var churn = services.GetRequiredService<PlanningSettings>().ChurnRisk;
        var model = outcome.Model;
        var state = outcome switch
        {
            { Failure: { } failure } => $"fit failed: {failure}" + (model is null ? " The interval rule decides until a fit succeeds." : $" The model fitted {LocalDatePattern.Iso.Format(model.AsOf)} stays in use."),
            { Refitted: true } => $"refitted on {model!.Purchases.Customers:N0} customers ({model.Purchases.RepeatCustomers:N0} with a repeat purchase): {model.Purchases.Parameters}",
            _ => $"the model fitted {LocalDatePattern.Iso.Format(model!.AsOf)} is in use (refitted every {churn.RefitIntervalDays} days)",
        };
        AnsiConsole.MarkupLine("  " + CliFormat.Text(state));
    }

    private static void WriteDelivery(IServiceProvider services, DeliverySummary delivered)
    {
        if (delivered.BlockedBy.Count > 0)
        {
            AnsiConsole.MarkupLine("  [red]" + CliFormat.Text(IncompleteConsentsExport.Blocking(delivered.BlockedBy, "is delivered")) + "[/]");
            return;
        }

        var sendGrid = services.GetRequiredService<SendGridSettings>();
        var channel = sendGrid.Enabled
            ? $"to SendGrid {sendGrid.BaseUrl.Host}{(sendGrid.SandboxMode ? " (sandbox mode: validated, not sent)" : "")}"
            : $"to the outbox {services.GetRequiredService<OutboxSender>().Directory}";
        AnsiConsole.MarkupLine(CliFormat.Text($"  sent {CliFormat.Count(delivered.Sent)} {channel}, failed {CliFormat.Count(delivered.Failed)} (tried again next run), " +
            $"rejected {CliFormat.Count(delivered.Rejected)}, unknown {CliFormat.Count(delivered.Unknown)}"));
        if (delivered.Unknown > 0)
        {
            AnsiConsole.MarkupLine("  [yellow]unknown: a send was interrupted or timed out; these are not resent automatically. Check the provider's activity log; `automation explain` shows each.[/]");
        }

        if (delivered.Waiting > 0)
        {
            var until = sendGrid.Enabled ? "due beyond SendGrid's scheduling horizon" : "not due yet: the outbox takes a message at its send time";
            AnsiConsole.MarkupLine($"  [grey]waiting ({until}; the next run or `automation serve` delivers them)[/] {CliFormat.Count(delivered.Waiting)}");
        }
        if (delivered.InFlight > 0) AnsiConsole.MarkupLine($"  [grey]being sent by another run[/] {CliFormat.Count(delivered.InFlight)}");
        foreach (var (reason, count) in delivered.Suppressed) AnsiConsole.MarkupLine($"  [grey]suppressed at delivery: {CliFormat.Text(reason)}[/] {CliFormat.Count(count)}");
        if (sendGrid.Enabled)
        {
            var perThousand = delivered.RequestsPerThousand is { } value ? value.ToString("N1", CultureInfo.InvariantCulture) : "-";
            AnsiConsole.MarkupLine($"  [grey]SendGrid: {CliFormat.Count(delivered.ProviderRequests)} API call(s), {perThousand} per 1,000 messages[/]");
        }
    }

    private static string ReadInbox(IConfiguration configuration)
    {
        var reader = new SettingsReader(configuration);
        var inbox = ServiceSettings.ReadInbox(reader);
        reader.ThrowIfInvalid();
        return inbox;
    }
}
