using System.CommandLine;
using Automation.SyntheticData;
using Spectre.Console;

namespace Automation.Cli.Commands;

internal static class GenerateCommand
{
    public static Command Create()
    {
        var customers = new Option<int>("--customers") { Description = "Number of customers.", Required = true };
        var transactions = new Option<long>("--transactions") { Description = "Number of transaction rows (order lines).", Required = true };
        var output = new Option<string>("--out") { Description = "Folder to write customers.csv, transactions.csv and consents.csv into.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed gives the same files.", DefaultValueFactory = _ => 1 };
        var badRows = new Option<double>("--bad-rows") { Description = "Share of rows made invalid on purpose, 0 to 1.", DefaultValueFactory = _ => 0.0 };
        customers.Validators.Add(r => { if (r.GetValueOrDefault<int>() <= 0) r.AddError("--customers must be a positive number."); });
        transactions.Validators.Add(r => { if (r.GetValueOrDefault<long>() < 0) r.AddError("--transactions must not be negative."); });
        badRows.Validators.Add(r => { if (r.GetValueOrDefault<double>() is < 0 or > 1) r.AddError("--bad-rows must be between 0 and 1, e.g. 0.01 for 1%."); });

        var command = new Command("generate", "Write realistic synthetic exports for demos, tests and benchmarks.")
        {
            customers, transactions, output, seed, badRows,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new GeneratorSettings(parse.GetValue(customers), parse.GetValue(transactions), parse.GetValue(seed), parse.GetValue(badRows));
            var files = await ExportGenerator.WriteAsync(settings, parse.GetRequiredValue(output), cancellationToken);
            AnsiConsole.MarkupLine(
                $"Wrote {settings.Customers:N0} customers and {files.TransactionRows:N0} transaction rows ({files.BadRows:N0} bad rows on purpose) to [bold]{CliFormat.Text(Path.GetFullPath(parse.GetRequiredValue(output)))}[/].");
            return ExitCodes.Success;
        });
        return command;
    }
}
