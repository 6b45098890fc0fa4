using NodaTime;
using Quartz;

namespace Automation.Service;

/// <summary>
/// When the plan runs: a cron expression read by Quartz.NET (five fields as in crontab, or Quartz's six
/// or seven with seconds), in UTC. Each firing plans the day ahead (docs/planning.md), whose start is
/// fixed in UTC (10:00 UTC the day before, in UTC+14), so the schedule is too: no business time zone or
/// daylight-saving change can move it past that.
/// </summary>
public sealed class PlanSchedule
{
    private readonly CronExpression _cron;

    private PlanSchedule(CronExpression cron, string text)
    {
        _cron = cron;
        Text = text;
    }

    /// <summary>The expression as the settings give it.</summary>
    public string Text { get; }

    /// <summary>Reads <paramref name="text"/>; <c>null</c> with a reason when it is not a cron expression.</summary>
    public static PlanSchedule? TryParse(string text, out string? problem)
    {
        var format = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 5 ? CronFormat.Unix : CronFormat.Quartz;
        if (!CronExpression.TryParse(text, format, out var cron) || cron is null)
        {
            problem = $"'{text}' is not a cron expression (minute hour day-of-month month day-of-week, in UTC, as \"0 5 * * *\" for 05:00 UTC every day)";
            return null;
        }

        problem = null;
        return new PlanSchedule(cron.WithTimeZone(TimeZoneInfo.Utc), text);
    }

    /// <summary>The first time the schedule fires after <paramref name="instant"/>, if it ever does.</summary>
    public Instant? NextAfter(Instant instant) =>
        _cron.GetNextValidTimeAfter(instant.ToDateTimeOffset()) is { } next ? Instant.FromDateTimeOffset(next) : null;

    /// <summary>
    /// The last time the schedule fired at or before <paramref name="now"/> on the same UTC day: the plan
    /// a service that was down (or stopped mid-plan) still owes for the day ahead.
    /// </summary>
    public Instant? DueToday(Instant now)
    {
        var dueBefore = _cron.GetPreviousValidTimeBefore(now.Plus(Duration.FromSeconds(1)).ToDateTimeOffset());
        if (dueBefore is not { } due) return null;
        var dueInstant = Instant.FromDateTimeOffset(due);
        return dueInstant.InUtc().Date == now.InUtc().Date ? dueInstant : null;
    }
}
