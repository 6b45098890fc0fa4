using Automation.Messages;
using NodaTime;
using NodaTime.Text;

namespace Automation.Reporting.Outcomes;

/// <summary>Which decisions a report reads, and how long after each it looks for a purchase.</summary>
/// <param name="From">The first planned day (the customer's day a message belongs to) the report reads.</param>
/// <param name="To">The last planned day it reads.</param>
/// <param name="AsOf">The day the report is made for (through its end, UTC): a decision whose window has not ended by then is pending.</param>
/// <param name="WindowDays">Days after the send time in which a purchase counts as a conversion.</param>
/// <param name="Trigger">One trigger, or every trigger when null.</param>
public sealed record OutcomeQuery(LocalDate From, LocalDate To, LocalDate AsOf, int WindowDays, TriggerName? Trigger = null)
{
    public const int DefaultWindowDays = 14;
    public const int DefaultPeriodDays = 90;

    /// <summary>The end of the as-of day in UTC: windows ending by then are complete.</summary>
    public Instant AsOfEnd => AsOf.PlusDays(1).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();

    /// <summary>
    /// A query from the text a person gives (command-line options, a URL's query string), with the
    /// defaults: as of <paramref name="today"/>, the 90 days of plans up to <c>to</c>, a 14-day window.
    /// </summary>
    /// <returns>The query, or null with one sentence per wrong value in <paramref name="problems"/>.</returns>
    public static OutcomeQuery? Parse(string? from, string? to, string? asOf, string? windowDays, string? trigger, LocalDate today, List<string> problems)
    {
        LocalDate? Date(string name, string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            var parsed = LocalDatePattern.Iso.Parse(text.Trim());
            if (parsed.Success) return parsed.Value;
            problems.Add($"{name} must be a date as YYYY-MM-DD, got '{text}'.");
            return null;
        }

        var day = Date("as-of", asOf) ?? today;
        var last = Date("to", to) ?? day;
        var first = Date("from", from) ?? last.PlusDays(-DefaultPeriodDays);
        var window = DefaultWindowDays;
        if (!string.IsNullOrWhiteSpace(windowDays) && (!int.TryParse(windowDays, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out window) || window is < 1 or > 365))
        {
            problems.Add($"window-days must be a whole number of days from 1 to 365, got '{windowDays}'.");
        }

        if (first > last) problems.Add("from must not be after to.");
        return problems.Count > 0 ? null : new OutcomeQuery(first, last, day, window, string.IsNullOrWhiteSpace(trigger) ? null : new TriggerName(trigger.Trim()));
    }
}
