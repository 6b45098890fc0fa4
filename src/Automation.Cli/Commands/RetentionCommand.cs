using System.CommandLine;
using System.Text.Json;
using Automation.Profiles.Storage;
using Automation.Rights.Retention;
using Microsoft.Extensions.DependencyInjection;
using NodaTime.Text;
using Spectre.Console;

namespace Automation.Cli.Commands;

/// <summary>The retention pass the daily job runs (<c>Automation:Retention</c>), by hand or as a dry run: docs/privacy.md.</summary>
internal static class RetentionCommand
{
    public static Command Create()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "List the customers the pass would erase, and change nothing." };
        var json = GlobalOptions.CreateJson();
        var command = new Command("retention",
            $"Erase the customers inactive for longer than {RetentionSettings.Section}:InactiveMonths, as the daily job does; --dry-run lists them.") { dryRun, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = CliHost.Build(parse);
            var retention = services.GetRequiredService<RetentionService>();
            var asJson = parse.GetValue(json);
            if (!retention.Settings.Enabled)
            {
                Console.Error.WriteLine($"Retention is off: set {RetentionSettings.Section}:InactiveMonths (docs/privacy.md). Nothing was listed or erased.");
                return ExitCodes.Success;
            }

            if (parse.GetValue(dryRun)) return await ListAsync(retention, asJson, cancellationToken);
            var outcome = (await retention.ApplyAsync(cancellationToken))!;
            if (outcome.BlockedBy.Count > 0)
            {
                Console.Error.WriteLine(IncompleteConsentsExport.Blocking(outcome.BlockedBy, "is erased or folded by retention"));
                return ExitCodes.Failure;
            }

            if (asJson) Console.Out.WriteLine(JsonSerializer.Serialize(outcome, CliJson.Options));
            else AnsiConsole.MarkupLine(CliFormat.Text(outcome.Describe()));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Streams the list: one line per customer, as the store reads them.</summary>
    private static async Task<int> ListAsync(RetentionService retention, bool asJson, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var inactive in retention.FindInactiveAsync(cancellationToken))
        {
            count++;
            var lastActivity = InstantPattern.ExtendedIso.Format(inactive.LastActivity);
            Console.Out.WriteLine(asJson
                ? JsonSerializer.Serialize(new { customerId = inactive.CustomerId.Value, lastActivity }, CliJson.Options)
                : $"{CliFormat.Printable(inactive.CustomerId.Value)}\tlast active {lastActivity}");
        }

        if (!asJson) Console.Error.WriteLine($"{count} customer(s) would be erased (dry run: nothing changed).");
        return ExitCodes.Success;
    }
}
