using System.CommandLine;
using Automation.Cli;
using Automation.Cli.Commands;

var root = new RootCommand("Automation: turns a retailer's exports into personal, timely, wanted email.");
root.Options.Add(GlobalOptions.DataDirectory);
root.Options.Add(GlobalOptions.Settings);
root.Subcommands.Add(IngestCommand.Create());
root.Subcommands.Add(CustomerCommand.Create());
root.Subcommands.Add(GenerateCommand.Create());

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors) Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine("Run 'automation --help' for usage.");
    return ExitCodes.Usage;
}

try
{
    return await parsed.InvokeAsync();
}
catch (SettingsException ex)
{
    Console.Error.WriteLine("Settings error: " + ex.Message);
    return ExitCodes.Usage;
}
