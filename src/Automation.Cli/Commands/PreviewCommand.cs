using Automation.Planning.Days;
using System.CommandLine;
using Automation.Personalization;
using Automation.Personalization.Templates;
using Automation.Planning.Policies;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Automation.Cli.Commands;

/// <summary>The message a customer would get from a trigger, rendered even when a policy would stop it.</summary>
internal static class PreviewCommand
{
    public static Command Create()
    {
        var customer = new Option<string>("--customer") { Description = "The customer id.", Required = true };
        var trigger = new Option<string>("--trigger") { Description = "The trigger name (birthday, churn_risk, pollen).", Required = true };
        var date = GlobalOptions.CreateDate();
        var command = new Command("preview", "Render the message a customer would get from a trigger, and say which policy, if any, would stop it.")
        {
            customer, trigger, date,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = CliHost.Build(parse);
            var renderer = services.GetRequiredService<MessageRenderer>();
            _ = renderer.Catalog;
            var day = PlanningDay.From(parse, date, services);
            var name = parse.GetRequiredValue(trigger);
            var planned = services.GetRequiredService<CustomerPlanner>().Triggers.FirstOrDefault(t => t.Name == name)
                ?? throw new SettingsException($"--trigger must be an enabled trigger ({string.Join(", ", services.GetRequiredService<CustomerPlanner>().Triggers.Select(t => t.Name))}), got '{name}'.");
            if (await CustomerDay.LoadAsync(services, parse.GetRequiredValue(customer), day, cancellationToken) is not { } customerDay)
            {
                Console.Error.WriteLine($"No customer with id '{parse.GetRequiredValue(customer)}' in the store.");
                return ExitCodes.Failure;
            }

            var decision = customerDay.Decisions.FirstOrDefault(d => d.Trigger == planned);
            if (decision is null)
            {
                AnsiConsole.MarkupLine($"{name} does not fire for this customer on {day:yyyy-MM-dd}: {CliFormat.Text(planned.ExplainSilence(customerDay.Profile, customerDay.Context, day))}");
                return ExitCodes.Failure;
            }

            AnsiConsole.MarkupLine(decision.Outcome switch
            {
                DecisionOutcome.Planned => $"[green]Would be sent[/]: {CliFormat.Text(decision.Detail)}",
                DecisionOutcome.HeldOut => $"[yellow]Held out[/]: {CliFormat.Text(decision.Detail)}",
                DecisionOutcome.AlreadyPlanned => $"[grey]Already planned[/]: {CliFormat.Text(decision.Detail)}",
                _ => $"[red]Would not be sent[/]: the {decision.ReasonCode} policy stops it: {CliFormat.Text(decision.Detail)}",
            });
            if (customerDay.Profile.Email is null)
            {
                AnsiConsole.MarkupLine("No email address on record, so there is nothing to render.");
                return ExitCodes.Failure;
            }

            try
            {
                var message = renderer.Render(customerDay.Profile, decision.Candidate, decision.MessageId);
                AnsiConsole.MarkupLine($"[bold]Template[/] {name}/{CliFormat.Text(message.Locale)}   [bold]To[/] {CliFormat.Text(message.ToName ?? "")} <{CliFormat.Text(message.ToAddress)}>");
                AnsiConsole.MarkupLine($"[bold]Subject[/] {CliFormat.Text(message.Subject)}");
                AnsiConsole.MarkupLine($"[bold]List-Unsubscribe[/] <{CliFormat.Text(message.UnsubscribeUrl)}>");
                AnsiConsole.MarkupLine("[bold]Text part[/]");
                Console.Out.WriteLine(CliFormat.Printable(message.Text, keepLineBreaks: true));
                AnsiConsole.MarkupLine("[bold]HTML part[/]");
                Console.Out.WriteLine(CliFormat.Printable(message.Html, keepLineBreaks: true));
                return ExitCodes.Success;
            }
            catch (MissingTemplateDataException ex)
            {
                AnsiConsole.MarkupLine($"[red]Cannot render[/]: {CliFormat.Text(ex.Message)}; the message would not be sent (missing_data).");
                return ExitCodes.Failure;
            }
            catch (MissingUnsubscribeLinkException ex)
            {
                AnsiConsole.MarkupLine($"[red]Would be rejected[/]: {CliFormat.Text(ex.Message)} (no_unsubscribe_link).");
                return ExitCodes.Failure;
            }
        });
        return command;
    }
}
