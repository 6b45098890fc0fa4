using Automation.Settings;
using Microsoft.Extensions.Configuration;

namespace Automation.Hosting;

/// <summary>
/// The sections of <c>Automation</c>. A misspelt section (<c>Automation:Polices</c>) or root (<c>Automaton</c>)
/// would leave every value in it unread and the defaults in force without a word; this reads the
/// configuration's sections themselves, and the few keys no other settings type owns.
/// </summary>
public sealed class AutomationSections
{
    public const string Root = "Automation";
    public const string StorageSection = Root + ":Storage";
    public const string ClockSection = Root + ":Clock";

    /// <summary>Every section under <c>Automation</c> some host reads (<c>Run</c> and <c>Service</c> the command line's <c>run</c> and <c>serve</c>).</summary>
    public static readonly IReadOnlyList<string> Known =
        ["Areas", "Clock", "Cosmos", "Delivery", "Ingestion", "Personalization", "Policies", "Pollen", "Retention", "Run", "SendGrid", "Service", "Storage", "Triggers"];

    private AutomationSections()
    {
    }

    /// <exception cref="SettingsValidationException">A section is not one Automation knows; one sentence names each.</exception>
    public static AutomationSections Read(IConfiguration configuration)
    {
        var reader = new SettingsReader(configuration);
        foreach (var root in configuration.GetChildren().Where(c => NearMiss.Closest(c.Key, [Root]) is not null))
        {
            reader.Error($"{root.Key} is not a section Automation reads; did you mean {Root}? Nothing under {root.Key} is used until it is spelt so.");
        }

        foreach (var section in configuration.GetSection(Root).GetChildren())
        {
            if (Known.Contains(section.Key, StringComparer.OrdinalIgnoreCase)) continue;
            var hint = section.Key.Equals("Context", StringComparison.OrdinalIgnoreCase) ? $"; its pollen settings moved to {Root}:Pollen (ForecastFile is now {Root}:Pollen:ForecastFile)."
                : NearMiss.Closest(section.Key, Known) is { } meant ? $"; did you mean {Root}:{meant}?"
                : $"; the sections are {string.Join(", ", Known)}.";
            reader.Error($"{section.Path} is not a section Automation knows{hint} See docs/configuration.md.");
        }

        reader.ReadElsewhere(AutomationServiceCollectionExtensions.BackendKey);
        reader.ReadElsewhere(Storage.Sqlite.SqliteStoreSettings.Section);
        reader.RejectUnknownKeys(StorageSection);
        reader.ReadElsewhere(RunningClock.NowKey);
        reader.RejectUnknownKeys(ClockSection);
        reader.ThrowIfInvalid();
        return new AutomationSections();
    }
}
