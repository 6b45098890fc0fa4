using System.CommandLine;
using System.Text.Json;
using Automation.Profiles.Erasure;
using Automation.Profiles.Identifiers;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Automation.Cli.Commands;

/// <summary>Erasure on request (GDPR Art. 17), the same as an <c>erasures</c> export: docs/privacy.md.</summary>
internal static class ForgetCommand
{
    public static Command Create()
    {
        var ids = new Argument<string[]>("ids") { Description = "The ids of the customers to erase.", Arity = ArgumentArity.OneOrMore };
        var json = GlobalOptions.CreateJson();
        var command = new Command("forget",
            "Erase customers: profile, consents, transaction lines, the personal data of their messages and the outbox's copies; " +
            "a tombstone keeps an old export from bringing them back. Running it again changes nothing.") { ids, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = CliHost.Build(parse);
            var eraser = services.GetRequiredService<ICustomerEraser>();
            var erased = await eraser.EraseAsync([.. parse.GetRequiredValue(ids).Distinct().Select(id => new CustomerId(id))], cancellationToken);
            await eraser.PurgeAsync(cancellationToken);
            var totals = ErasureTotals.Zero.Add(erased);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new { customers = erased, totals }, CliJson.Options));
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("Customer", "Profile", "Transaction lines", "Messages", "Outbox files", "Note");
            foreach (var e in erased)
            {
                table.AddRow(CliFormat.Text(e.CustomerId.Value), e.Profile ? "removed" : "—", CliFormat.Count(e.TransactionLines), CliFormat.Count(e.Messages),
                    CliFormat.Count(e.OutboxFiles), e.ErasedBefore ? "erased before" : !e.Profile && e.Messages == 0 ? "nothing held" : "");
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine(CliFormat.Text(totals.Describe()) + ". Messages stay as counts, without personal data; a tombstone refuses the ids in later exports.");
            return ExitCodes.Success;
        });
        return command;
    }
}
