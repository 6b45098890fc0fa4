using Cronos;
using NodaTime;

namespace Automation.Service;

/// <summary>
/// When the plan runs: a cron expression read by Cronos (five fields as in crontab, or six with
/// seconds first), in UTC. Each firing plans the day ahead (docs/planning.md), whose start is
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
        var format = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        if (!CronExpression.TryParse(text.Trim(), format, out var cron) || cron is null)
        {
            problem = $"'{text}' is not a cron expression (minute hour day-of-month month day-of-week, in UTC, as \"0 5 * * *\" for 05:00 UTC every day)";
            return null;
        }

        problem = null;
        return new PlanSchedule(cron, text);
    }

    /// <summary>The first time the schedule fires after <paramref name="instant"/>, if it ever does.</summary>
    public Instant? NextAfter(Instant instant) =>
        _cron.GetNextOccurrence(instant.ToDateTimeUtc(), inclusive: false) is { } next ? Instant.FromDateTimeUtc(next) : null;

    /// <summary>
    /// The last time the schedule fired at or before <paramref name="now"/> on the same UTC day: the plan
    /// a service that was down (or stopped mid-plan) still owes for the day ahead.
    /// </summary>
    public Instant? DueToday(Instant now)
    {
        if (_cron.GetPreviousOccurrence(now.ToDateTimeUtc(), inclusive: true) is not { } due) return null;
        var dueInstant = Instant.FromDateTimeUtc(due);
        return dueInstant.InUtc().Date == now.InUtc().Date ? dueInstant : null;
    }
}
