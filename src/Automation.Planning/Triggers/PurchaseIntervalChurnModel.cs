using System.Globalization;
using Automation.Planning.Settings;
using Automation.Profiles.Model;
using NodaTime;
using NodaTime.Text;

namespace Automation.Planning.Triggers;

/// <summary>
/// The customer's own rhythm: at risk once the days since the last purchase day exceed
/// <see cref="ChurnRiskSettings.LapseMultiple"/> times the median gap between their purchase days.
/// The fallback while there is no usable buy-till-you-die model; <paramref name="why"/> says why, in every reason.
/// </summary>
public sealed class PurchaseIntervalChurnModel(ChurnRiskSettings settings, string why) : IChurnRiskModel
{
    public ChurnAssessment? Assess(PurchaseSummary purchases, LocalDate today)
    {
        var days = purchases.PurchaseDaysUpTo(today);
        if (days < settings.MinPurchaseDays) return null;

        var last = purchases.PurchaseDays[days - 1];
        var usual = purchases.MedianDaysBetweenFirst(days)!.Value;
        var since = Period.DaysBetween(last, today);
        var limit = settings.LapseMultiple * usual;
        var figures = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["days_since_last_purchase"] = since.ToString(CultureInfo.InvariantCulture),
            ["usual_interval_days"] = Format(usual),
            ["last_purchase_date"] = LocalDatePattern.Iso.Format(last),
            ["purchase_days"] = days.ToString(CultureInfo.InvariantCulture),
            ["churn_model"] = "interval",
        };
        var explanation = $"last purchase {since} days ago; usual interval {Format(usual)} days ({days} purchase days); at risk after {Format(limit)} days (interval rule, because {why})";
        return new ChurnAssessment(since > limit, last, explanation, figures);
    }

    public string ExplainNoAssessment(PurchaseSummary purchases, LocalDate today) =>
        $"{purchases.PurchaseDaysUpTo(today)} purchase days; the interval rule needs at least {settings.MinPurchaseDays} (it decides because {why})";

    private static string Format(double days) => Math.Round(days, 1).ToString("0.#", CultureInfo.InvariantCulture);
}
