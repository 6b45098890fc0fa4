using Automation.Planning;
using Automation.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Automation.MarketerConsole.Settings;

/// <summary>
/// A change of one setting before it is applied: refused with the sentences a start would give when a
/// value is wrong, or shown as its effect on a day's plan: that day planned twice as a dry run on the
/// same data, once on the settings in force and once on the changed ones.
/// </summary>
public sealed class SettingsPreview
{
    public required SettingsChange Change { get; init; }

    /// <summary>The value in force now and the one after the change (null: not set, the default applies).</summary>
    public string? Before { get; init; }

    public string? After { get; init; }

    public required LocalDate Day { get; init; }

    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>Whether the key is one the console changes: otherwise there is no value before or after to show.</summary>
    public bool Changeable { get; init; } = true;

    public PlanEffect? Effect { get; init; }

    public bool CanApply => Problems.Count == 0 && Effect is not null;

    /// <summary>
    /// Reads <paramref name="change"/> as the host would at start and, when every setting is right, plans
    /// <paramref name="day"/> with and without it. Two passes over the customers that record nothing.
    /// </summary>
    public static async Task<SettingsPreview> OfAsync(IServiceProvider services, ISettingsHost host, SettingsChange change, LocalDate day, CancellationToken cancellationToken)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var found = EffectiveSettings.Find(configuration, change.Key);
        if (Unchangeable(found, change, day) is { } refused) return refused;
        var setting = found!;
        change = Normalized(change with { Key = setting.Key }, setting.List);
        var before = EffectiveSettings.ValueOf(configuration, change.Key);
        IConfiguration candidate;
        try
        {
            candidate = host.With(change);
        }
        catch (SettingsValidationException ex)
        {
            return new() { Change = change, Before = before, Day = day, Problems = ex.Problems };
        }

        var after = EffectiveSettings.ValueOf(candidate, change.Key);
        SettingsPreview Refused(params string[] problems) => new() { Change = change, Before = before, After = after, Day = day, Problems = problems };

        if (change.Value is not null && after != change.Value)
        {
            return Refused($"{change.Key} would still be '{after}': something read after the settings file sets it (the environment variable or app setting {setting.Variable}, or a command-line option), so change it there.");
        }

        if (string.Equals(after, before, StringComparison.OrdinalIgnoreCase)) return Refused($"{change.Key} is {(before is null ? "not set" : $"'{before}'")} already: nothing to change.");

        ServiceProvider changed;
        try
        {
            changed = host.Compose(candidate);
        }
        catch (SettingsValidationException ex)
        {
            return Refused([.. ex.Problems]);
        }

        await using (changed)
        {
            var now = await services.GetRequiredService<PlanningService>().PlanAsync(day, dryRun: true, cancellationToken: cancellationToken);
            var then = await changed.GetRequiredService<PlanningService>().PlanAsync(day, dryRun: true, cancellationToken: cancellationToken);
            if (now.BlockedBy.Count + then.BlockedBy.Count > 0)
            {
                return Refused($"The effect cannot be shown while {Math.Max(now.BlockedBy.Count, then.BlockedBy.Count)} consents export(s) are not completely ingested: nothing can be planned until they are.");
            }

            return new SettingsPreview { Change = change, Before = before, After = after, Day = day, Effect = PlanEffect.Between(now.Record, then.Record) };
        }
    }

    /// <summary>A key the console does not change: unknown, a secret, or a family's pattern.</summary>
    private static SettingsPreview? Unchangeable(EffectiveSetting? setting, SettingsChange change, LocalDate day)
    {
        string? problem = setting switch
        {
            null => $"'{change.Key}' is not a setting this version knows; the keys are listed on this page and in docs/configuration.md.",
            { Secret: true } => $"{setting.Key} is a secret: it is set where secrets are kept (the settings file or the environment; in Azure, Key Vault or an app setting), never in a browser.",
            { Changeable: false } => $"{setting.Key} names a family of settings: give one of its keys, such as {setting.Key.Replace("<type>", "grass", StringComparison.Ordinal)}.",
            _ => null,
        };
        // A secret typed into the form is not sent back to the browser.
        return problem is null ? null : new SettingsPreview { Change = change with { Value = null }, Day = day, Problems = [problem], Changeable = false };
    }

    /// <summary>Trimmed; empty means none (back to the default); a list's values separated by ", " as the page shows them.</summary>
    private static SettingsChange Normalized(SettingsChange change, bool list)
    {
        var value = change.Value?.Trim();
        if (string.IsNullOrEmpty(value)) return change with { Value = null };
        if (list) value = string.Join(", ", value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return change with { Value = value };
    }
}
