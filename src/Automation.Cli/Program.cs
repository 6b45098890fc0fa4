using System.CommandLine;
using Automation.Cli;
using Automation.Cli.Commands;
using Automation.Settings;
using Automation.Delivery.SendGrid;
using Automation.Personalization.Templates;
using Automation.ContextSources.Areas;
using Automation.ContextSources.Pollen;
using Spectre.Console;

if (Console.IsOutputRedirected)
{
    // Plain, unwrapped text for logs and pipes: a reason quoting a model's numbers is longer than any
    // terminal, and a line broken inside it is hard to search.
    AnsiConsole.Profile.Capabilities.Ansi = false;
    AnsiConsole.Profile.Width = 4_000;
}

var root = new RootCommand("Automation: turns a retailer's exports into personal, timely, wanted email.");
root.Options.Add(GlobalOptions.DataDirectory);
root.Options.Add(GlobalOptions.Settings);
root.Options.Add(GlobalOptions.Store);
root.Subcommands.Add(IngestCommand.Create());
root.Subcommands.Add(CustomerCommand.Create());
root.Subcommands.Add(ForgetCommand.Create());
root.Subcommands.Add(RetentionCommand.Create());
root.Subcommands.Add(ReportCommand.Create());
root.Subcommands.Add(GenerateCommand.Create());
root.Subcommands.Add(PlanCommand.Create());
root.Subcommands.Add(PreviewCommand.Create());
root.Subcommands.Add(ExplainCommand.Create());
root.Subcommands.Add(RunCommand.Create());
root.Subcommands.Add(FeedbackCommand.Create());
root.Subcommands.Add(PollenCommand.Create());
root.Subcommands.Add(ModelCommand.Create());
root.Subcommands.Add(ServeCommand.Create());

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors) Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine("Run 'automation --help' for usage.");
    return ExitCodes.Usage;
}

try
{
    // Without the default handler, a settings error reaches the catch below and exits with the usage code.
    // Ctrl+C and SIGTERM cancel the command's token; the grace period lets it end between units of
    // work (serve finishes the delivery batch it handed over) before the process is ended for it.
    return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
}
catch (Exception ex) when (ex is SettingsException or SettingsValidationException or TemplateException or PollenForecastException or PlaceTableException or SendGridConfigurationException)
{
    Console.Error.WriteLine("Settings error: " + ex.Message);
    return ExitCodes.Usage;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("Stopped. Whatever was committed stays; run the same command again to finish without duplicates.");
    return ExitCodes.Failure;
}
catch (Exception ex)
{
    // The store or the file system failed (disk full, database locked by another process, ...).
    Console.Error.WriteLine($"automation: {ex.Message}");
    return ExitCodes.Failure;
}
