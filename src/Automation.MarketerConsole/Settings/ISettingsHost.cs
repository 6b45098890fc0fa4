using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Automation.MarketerConsole.Settings;

/// <summary>A marketer's change of one setting: a new value, or none to go back to the default.</summary>
public sealed record SettingsChange(string Key, string? Value);

/// <summary>One applied change, as <c>serve</c>'s history keeps it beside its settings file.</summary>
/// <param name="From">The value the settings file had; null when the file did not set it.</param>
/// <param name="To">The value it has now; null when the change removed it (the default applies).</param>
/// <param name="Effect">The change's effect on the plan of the day ahead when it was applied, in one sentence.</param>
public sealed record SettingsHistoryEntry(Instant At, string Key, string? From, string? To, string Effect);

/// <summary>
/// What the console needs of the host it runs in to preview a change of a setting: the configuration the
/// host would start with after the change, and the host composed on it as at start, so a wrong value is
/// refused with the sentence a start would give and a right one planned with.
/// </summary>
public interface ISettingsHost
{
    /// <summary>The configuration the host would start with once <paramref name="change"/> is made.</summary>
    /// <exception cref="Automation.Settings.SettingsValidationException">The change cannot be made: the settings file is not JSON.</exception>
    IConfiguration With(SettingsChange change);

    /// <summary>The host's pipeline on <paramref name="changed"/> settings, every setting read and checked as at start.</summary>
    /// <exception cref="Automation.Settings.SettingsValidationException">A setting is wrong; one sentence names each.</exception>
    ServiceProvider Compose(IConfiguration changed);
}

/// <summary>
/// A host whose settings the console changes itself (<c>serve</c>): it writes the change to the host's
/// settings file, keeps the history of changes, and has the host start again on it. The Functions app has
/// none: its settings are app settings, changed in Azure.
/// </summary>
public interface ISettingsFile
{
    /// <summary>The file the console writes a change to.</summary>
    string Path { get; }

    /// <summary>Writes <paramref name="change"/> to the file and records it, with its effect, in the history.</summary>
    Task ApplyAsync(SettingsChange change, string effect, CancellationToken cancellationToken);

    /// <summary>Once the answer to an applied change has gone: the host starts again on the changed file.</summary>
    void TakeEffect();

    /// <summary>The applied changes, newest first.</summary>
    Task<IReadOnlyList<SettingsHistoryEntry>> HistoryAsync(CancellationToken cancellationToken);
}
