using Automation.Profiles.Model;
using NodaTime;

namespace Automation.Profiles.Churn;

/// <summary>
/// The per-customer statistics of the BG/NBD model (Fader, Hardie &amp; Lee 2005), on distinct purchase
/// days: <c>x</c> repeat purchase days, recency <c>t_x</c> from the first purchase day to the last,
/// and age <c>T</c> from the first purchase day to the evaluation date. Times are in days.
/// </summary>
public readonly record struct ChurnInputs(int X, int RecencyDays, int AgeDays)
{
    /// <summary>Days converted to weeks and rounded to 2 dp, the unit of the published CDNOW summaries.</summary>
    public static double ToWeeks(int days) => Math.Round(days / 7.0, 2, MidpointRounding.AwayFromZero);

    /// <summary>
    /// Evaluates the statistics as of <paramref name="asOf"/> (inclusive). Purchase days after it are
    /// ignored; <c>null</c> when the customer had bought nothing by then.
    /// </summary>
    public static ChurnInputs? AsOf(PurchaseSummary purchases, LocalDate asOf)
    {
        var days = purchases.PurchaseDays;
        var count = purchases.PurchaseDaysUpTo(asOf);
        if (count == 0) return null;

        var first = days[0];
        var last = days[count - 1];
        return new ChurnInputs(
            X: count - 1,
            RecencyDays: Period.DaysBetween(first, last),
            AgeDays: Period.DaysBetween(first, asOf));
    }
}
