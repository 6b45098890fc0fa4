using Automation.Settings;
using NodaTime;

namespace Automation.Planning.Settings;

public sealed record SendWindow(LocalTime Start, LocalTime End)
{
    /// <summary>"09:00–20:00".</summary>
    public override string ToString() => $"{SettingsReader.HourMinute.Format(Start)}–{SettingsReader.HourMinute.Format(End)}";
}
