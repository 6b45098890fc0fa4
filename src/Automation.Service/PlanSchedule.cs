using NodaTime;
using Quartz;

namespace Automation.Service;

/// <summary>
/// When the daily plan runs: a cron expression read by Quartz.NET (five fields as in crontab, or
/// Quartz's six or seven with seconds), in the business's time zone, so that "0 6 * * *" stays at six
/// in the morning across daylight-saving changes.
/// </summary>
public sealed class PlanSchedule
{
    private readonly CronExpression _cron;

    private PlanSchedule(CronExpression cron, DateTimeZone zone, string text)
    {
        _cron = cron;
        Zone = zone;
        Text = text;
    }

    public DateTimeZone Zone { get; }

    /// <summary>The expression as the settings give it.</summary>
    public string Text { get; }

    /// <summary>Reads <paramref name="text"/>; <c>null</c> with a reason when it is not a cron expression.</summary>
    public static PlanSchedule? TryParse(string text, DateTimeZone zone, out string? problem)
    {
        var format = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 5 ? CronFormat.Unix : CronFormat.Quartz;
        TimeZoneInfo timeZone;
        try
        {
            timeZone = TimeZoneInfo.FindSystemTimeZoneById(zone.Id);
        }
        catch (TimeZoneNotFoundException)
        {
            problem = $"the time zone {zone.Id} is unknown to this system";
            return null;
        }

        if (!CronExpression.TryParse(text, format, out var cron) || cron is null)
        {
            problem = $"'{text}' is not a cron expression (minute hour day-of-month month day-of-week, as \"0 6 * * *\" for six every morning)";
            return null;
        }

        problem = null;
        return new PlanSchedule(cron.WithTimeZone(timeZone), zone, text);
    }

    /// <summary>The first time the schedule fires after <paramref name="instant"/>, if it ever does.</summary>
    public Instant? NextAfter(Instant instant) =>
        _cron.GetNextValidTimeAfter(instant.ToDateTimeOffset()) is { } next ? Instant.FromDateTimeOffset(next) : null;

    /// <summary>
    /// The last time the schedule fired at or before <paramref name="now"/> on the same local day: the
    /// plan a service that was down (or stopped mid-plan) still owes today. Earlier days are not made
    /// up: their birthdays and forecasts are past.
    /// </summary>
    public Instant? DueToday(Instant now)
    {
        var dueBefore = _cron.GetPreviousValidTimeBefore(now.Plus(Duration.FromSeconds(1)).ToDateTimeOffset());
        if (dueBefore is not { } due) return null;
        var dueInstant = Instant.FromDateTimeOffset(due);
        return DayOf(dueInstant) == DayOf(now) ? dueInstant : null;
    }

    /// <summary>The day a plan fired at <paramref name="instant"/> plans: that day in the business's time zone.</summary>
    public LocalDate DayOf(Instant instant) => instant.InZone(Zone).Date;
}
