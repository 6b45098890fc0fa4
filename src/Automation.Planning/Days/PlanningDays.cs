using Automation.Planning.Settings;
using NodaTime;

namespace Automation.Planning.Days;

/// <summary>
/// Which calendar days a plan covers, and when. Customers live from UTC+14 (the Line Islands, first to
/// begin a day) to UTC−12 (last to end it), so one calendar day lasts 50 hours somewhere on Earth. A
/// plan at any instant plans the day after the current UTC day: that day begins in UTC+14 at 10:00
/// UTC, so a plan before then is ahead of every customer, and even a plan at 23:59 UTC is still before
/// the end of that day's send window in UTC+14 (the window's end, 20:00 by default, is 06:00 UTC the
/// next day there). Pure: instants and the days already planned in, days out.
/// </summary>
public static class PlanningDays
{
    /// <summary>The first local offset on Earth to begin a day.</summary>
    private static readonly Offset EarliestOffset = Offset.FromHours(14);

    /// <summary>The last local offset on Earth to end a day.</summary>
    private static readonly Offset LatestOffset = Offset.FromHours(-12);

    /// <summary>The day a plan at <paramref name="now"/> plans ahead: the day after the current UTC day.</summary>
    public static LocalDate Ahead(Instant now) => now.InUtc().Date.PlusDays(1);

    /// <summary>
    /// The earliest day whose send window may still be open somewhere at <paramref name="now"/>:
    /// yesterday in UTC. A window ends within its day, so the day before that closed in UTC−12 before
    /// noon UTC yesterday.
    /// </summary>
    public static LocalDate EarliestOpen(Instant now) => Ahead(now).PlusDays(-2);

    /// <summary>When the first send window of <paramref name="day"/> closes, in the earliest time zone: a plan after this is late for someone.</summary>
    public static Instant FirstWindowCloses(LocalDate day, SendWindow window) => (day + window.End).WithOffset(EarliestOffset).ToInstant();

    /// <summary>When the last send window of <paramref name="day"/> closes, in the latest time zone: after this nobody can get that day's message.</summary>
    public static Instant LastWindowCloses(LocalDate day, SendWindow window) => (day + window.End).WithOffset(LatestOffset).ToInstant();

    /// <summary>
    /// The days a plan at <paramref name="now"/> owes, oldest first: the day ahead, unless it is planned
    /// already, and any earlier day that was missed (the plan did not run, or the consents gate stopped
    /// it) while its send window is still open somewhere. Days before the first plan on record are not
    /// owed: a new installation starts with the day ahead, not with a day that is half over.
    /// </summary>
    public static IReadOnlyList<LocalDate> Owed(Instant now, SendWindow window, IReadOnlyCollection<LocalDate> planned)
    {
        var ahead = Ahead(now);
        LocalDate? first = planned.Count == 0 ? null : planned.Min();
        var owed = new List<LocalDate>();
        for (var day = EarliestOpen(now); day <= ahead; day = day.PlusDays(1))
        {
            if (planned.Contains(day)) continue;
            if (day < ahead && (first is not { } firstPlanned || day < firstPlanned || LastWindowCloses(day, window) <= now)) continue;
            owed.Add(day);
        }

        return owed;
    }
}
