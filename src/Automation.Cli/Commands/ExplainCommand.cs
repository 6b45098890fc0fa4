using Automation.Planning.Days;
using Automation.Profiles.Model;
using System.CommandLine;
using Automation.Messages;
using Automation.Planning.Policies;
using Automation.Personalization;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;
using Spectre.Console;

namespace Automation.Cli.Commands;

/// <summary>Why this customer gets (or does not get) each message: every trigger and policy decision.</summary>
internal static class ExplainCommand
{
    public static Command Create()
    {
        var customer = new Option<string>("--customer") { Description = "The customer id.", Required = true };
        var date = GlobalOptions.CreateDate();
        var command = new Command("explain", "Every trigger and policy decision for one customer on a day, with reasons.") { customer, date };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = CliHost.Build(parse);
            _ = services.GetRequiredService<MessageRenderer>().Catalog;
            var day = PlanningDay.From(parse, date, services);
            if (await CustomerDay.LoadAsync(services, parse.GetRequiredValue(customer), day, cancellationToken) is not { } customerDay)
            {
                Console.Error.WriteLine($"No customer with id '{parse.GetRequiredValue(customer)}' in the store.");
                return ExitCodes.Failure;
            }
            Write(customerDay);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Write(CustomerDay day)
    {
        var profile = day.Profile;
        var zone = day.Planner.ZoneOf(profile);
        var zoneSource = profile.TimeZone is null ? "default" : "profile";
        AnsiConsole.MarkupLine($"[bold]Customer {CliFormat.Text(profile.CustomerId)}[/] on {LocalDatePattern.Iso.Format(day.Date)} (time zone {CliFormat.Text(zone.Id)}, from the {zoneSource}; locale {CliFormat.Text(profile.Locale ?? "none: default")})");
        var contact = day.Planner.CheckContactable(profile);
        AnsiConsole.MarkupLine("  contactable by email: " + (contact is var (code, detail) ? $"[red]no[/] ({code}: {CliFormat.Text(detail)})" : "[green]yes[/]"));
        if (day.SameAddress is { } shared)
        {
            AnsiConsole.MarkupLine($"  same address as {CliFormat.Text(shared.OthersText)}: one message per address a day, refusals and the frequency cap shared");
        }

        // The customer's own choices (the preference page): which topics are off, and the health opt-in, with when and how.
        foreach (var trigger in day.Planner.Triggers)
        {
            if (TopicPreferences.Check(profile, trigger.Name) is var (_, off)) AnsiConsole.MarkupLine($"  topic {CliFormat.Text(trigger.Name)} is off: {CliFormat.Text(off)}");
        }

        if (profile.Consents.TryGetValue(ConsentChannels.HealthPersonalization, out var health) && health.Explicit is { } statement)
        {
            AnsiConsole.MarkupLine(CliFormat.Text($"  health-related personalization: {(health.IsOptedIn ? "opted in" : "not opted in")} " +
                $"({statement.Status} on {LocalDatePattern.Iso.Format(statement.At.InUtc().Date)}{(statement.Source is { } source ? ", " + source : "")})"));
        }

        AnsiConsole.MarkupLine($"[bold]Triggers and policies[/] (policies in order: {string.Join(", ", CustomerPlanner.Policies)})");
        foreach (var trigger in day.Planner.Triggers)
        {
            var decision = day.Decisions.FirstOrDefault(d => d.Trigger == trigger);
            if (decision is null)
            {
                AnsiConsole.MarkupLine($"  [grey]{trigger.Name}[/] (priority {trigger.Settings.Priority}): did not fire: {CliFormat.Text(trigger.ExplainSilence(profile, day.Context, day.Date))}");
                continue;
            }

            AnsiConsole.MarkupLine($"  [bold]{trigger.Name}[/] (priority {trigger.Settings.Priority}): fired: {CliFormat.Text(decision.Candidate.Reason)}");
            var outcome = decision.Outcome switch
            {
                DecisionOutcome.Planned => "[green]planned[/]",
                DecisionOutcome.HeldOut => "[yellow]held out[/] (holdout)",
                DecisionOutcome.AlreadyPlanned => "[grey]already planned[/]",
                _ => $"[red]suppressed[/] ({decision.ReasonCode})",
            };
            AnsiConsole.MarkupLine($"    → {outcome}: {CliFormat.Text(decision.Detail)}; message {decision.MessageId}");
        }

        AnsiConsole.MarkupLine(day.Messages.Count == 0 ? "[bold]Message log[/]: empty" : "[bold]Message log[/]");
        foreach (var message in day.Messages)
        {
            var sendAt = message.SendAt is { } at ? " send at " + InstantPattern.ExtendedIso.Format(at) : "";
            var why = message.ReasonCode is { } reasonCode ? $" ({reasonCode}{(message.Detail is { } d ? ": " + d : "")})" : message.Detail is { } info ? $" ({info})" : "";
            AnsiConsole.MarkupLine(CliFormat.Text($"  {LocalDatePattern.Iso.Format(message.PlannedFor)} {message.Trigger} {message.Status.Name()}{why}{sendAt}; {message.Reason}"));
            foreach (var reported in message.Events)
            {
                AnsiConsole.MarkupLine(CliFormat.Text($"    reported {reported.Type} at {InstantPattern.ExtendedIso.Format(reported.At)}{(reported.Detail is { } said ? ": " + said : "")}"));
            }
        }
    }
}
