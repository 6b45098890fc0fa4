using System.Globalization;
using Automation.Planning.Settings;
using Automation.Profiles.Model;
using NodaTime;
using NodaTime.TimeZones;

namespace Automation.Planning.Policies;

/// <summary>
/// Policy 6: the first instant inside the send window on the customer's day, not before now, in the
/// customer's zone; a day whose window has closed gets no message (only a late plan meets one).
/// </summary>
public static class SendWindows
{
    public const string Name = "send window";

    // A window edge that falls in a spring-forward gap moves to the first instant after the gap; one in a
    // repeated autumn hour takes its first occurrence.
    private static readonly ZoneLocalMappingResolver EdgeResolver =
        Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);

    /// <summary>
    /// The first instant inside <paramref name="window"/> on the customer's calendar day
    /// <paramref name="day"/> that is not before <paramref name="notBefore"/>; <c>null</c> when that day's
    /// window has already closed. Computed in the customer's zone, so it is right across DST changes.
    /// </summary>
    public static Instant? Next(SendWindow window, LocalDate day, DateTimeZone zone, Instant notBefore)
    {
        var start = zone.ResolveLocal(day + window.Start, EdgeResolver).ToInstant();
        var end = zone.ResolveLocal(day + window.End, EdgeResolver).ToInstant();
        var at = notBefore > start ? notBefore : start;
        return at < end ? at : null;
    }

    /// <summary>"2026-06-15 09:00": <paramref name="at"/> as the customer's clock shows it, for the reasons the policies give.</summary>
    public static string LocalText(Instant at, DateTimeZone zone) => at.InZone(zone).LocalDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The customer's time zone, or <paramref name="fallback"/> (the default time zone) when the profile has none or an unknown one.</summary>
    public static DateTimeZone ZoneOf(CustomerProfile profile, DateTimeZone fallback) =>
        profile.TimeZone is { } id && DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) is { } zone ? zone : fallback;
}
