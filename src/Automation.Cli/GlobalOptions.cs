using System.CommandLine;

namespace Automation.Cli;

internal static class GlobalOptions
{
    public static readonly Option<string?> DataDirectory = new("--data-dir")
    {
        Description = "Folder of the embedded store (default ./.automation, or Automation:Storage:Sqlite:DataDirectory).",
        Recursive = true,
    };

    public static readonly Option<string?> Store = new("--store")
    {
        Description = "The store: sqlite (embedded, the default) or cosmos (Automation:Cosmos settings); overrides Automation:Storage:Backend.",
        Recursive = true,
    };

    public static readonly Option<string?> Settings = new("--settings")
    {
        Description = "A JSON settings file layered over appsettings.json.",
        Recursive = true,
    };

    /// <summary>Each command gets its own instance: an option belongs to one command.</summary>
    public static Option<bool> CreateJson() => new("--json") { Description = "Print one JSON object instead of tables." };

    public static Option<string?> CreateDate() => new("--date")
    {
        Description = "The day to plan, YYYY-MM-DD: each customer's own calendar day (default: today in Automation:Policies:DefaultTimeZone).",
    };

    /// <summary>Progress bars only on a terminal a person is watching; nothing extra when output is redirected.</summary>
    public static bool IsInteractive => !Console.IsOutputRedirected && Spectre.Console.AnsiConsole.Profile.Capabilities.Interactive;
}
