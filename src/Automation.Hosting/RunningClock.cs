using Automation.Settings;
using Microsoft.Extensions.Configuration;
using NodaTime;
using NodaTime.Text;

namespace Automation.Hosting;

/// <summary>
/// The system clock, started at another instant and running on from there: <c>Automation:Clock:Now</c>.
/// It rehearses a day as a host would live it (the plan of a coming day, a pollen refresh against the
/// providers, whose horizon counts from now) and lets a test run the program as a process on a fixed
/// day. Unset, as in production, the system clock is used unchanged.
/// </summary>
public sealed class RunningClock(Instant start, IClock system) : IClock
{
    public const string NowKey = "Automation:Clock:Now";
    private readonly Instant _systemStart = system.GetCurrentInstant();

    public Instant GetCurrentInstant() => start + (system.GetCurrentInstant() - _systemStart);

    /// <summary>The clock <c>Automation:Clock:Now</c> asks for, or <c>null</c> when it is not set.</summary>
    /// <exception cref="SettingsValidationException">The value is not an instant.</exception>
    public static RunningClock? FromSettings(IConfiguration configuration)
    {
        var raw = configuration[NowKey];
        if (string.IsNullOrWhiteSpace(raw)) return null;
        var parsed = InstantPattern.ExtendedIso.Parse(raw.Trim());
        if (!parsed.Success) throw new SettingsValidationException([$"{NowKey} must be an instant in UTC such as 2027-04-16T06:00:00Z, got '{raw}'."]);
        return new RunningClock(parsed.Value, SystemClock.Instance);
    }
}
