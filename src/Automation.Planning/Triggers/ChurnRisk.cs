using System.Globalization;
using Automation.Planning.Context;
using Automation.Planning.Settings;
using Automation.Profiles.Model;
using NodaTime;
using NodaTime.Text;

namespace Automation.Planning.Triggers;

/// <summary>A churn model's verdict on one customer on one day.</summary>
/// <param name="LapseStartedAfter">The last purchase day: a new purchase starts a new lapse episode.</param>
/// <param name="Explanation">The numbers behind the verdict, in words.</param>
/// <param name="Figures">The same numbers for templates.</param>
/// <param name="Judged">False when the model could not judge the customer (its numbers failed): not at risk, and the explanation says why.</param>
public sealed record ChurnAssessment(bool AtRisk, LocalDate LapseStartedAfter, string Explanation, IReadOnlyDictionary<string, string> Figures, bool Judged = true)
{
    public static ChurnAssessment Undecided(LocalDate lastPurchase, string why, IReadOnlyDictionary<string, string> figures) =>
        new(false, lastPurchase, why, figures, Judged: false);
}

/// <summary>
/// Judges whether a customer is lapsing. The churn-risk trigger depends only on this, so a
/// buy-till-you-die model (BG/NBD probability alive) replaces the interval rule without touching it.
/// </summary>
public interface IChurnRiskModel
{
    /// <summary><c>null</c> when the customer's history is too short to judge.</summary>
    ChurnAssessment? Assess(PurchaseSummary purchases, LocalDate today);

    /// <summary>Why <see cref="Assess"/> had nothing to say, for explanations.</summary>
    string ExplainNoAssessment(PurchaseSummary purchases, LocalDate today);
}

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

/// <summary>
/// Fires while the day's churn model (<see cref="DayContext.Churn"/>) says the customer is at risk, once per
/// lapse episode: the occasion is the last purchase day, so a new purchase starts a new episode. The
/// cooldown keeps episodes' messages apart.
/// </summary>
public sealed class ChurnRiskTrigger(ChurnRiskSettings settings) : ITrigger
{
    public const string TriggerName = "churn_risk";

    public string Name => TriggerName;
    public TriggerSettings Settings => settings.Trigger;
    public bool HealthRelated => false;

    public TriggerCandidate? Evaluate(CustomerProfile profile, DayContext context, LocalDate date)
    {
        if (context.Churn.Assess(profile.Purchases, date) is not { AtRisk: true } assessment) return null;
        return new TriggerCandidate(
            Name, "lapse-after-" + LocalDatePattern.Iso.Format(assessment.LapseStartedAfter), assessment.Explanation, assessment.Figures,
            CooldownKey: Name);
    }

    public string ExplainSilence(CustomerProfile profile, DayContext context, LocalDate date) =>
        context.Churn.Assess(profile.Purchases, date) is { } assessment
            ? (assessment.Judged ? "not at risk: " : "no verdict: ") + assessment.Explanation
            : context.Churn.ExplainNoAssessment(profile.Purchases, date);
}
