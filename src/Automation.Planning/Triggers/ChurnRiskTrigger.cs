using Automation.Planning.Context;
using Automation.Planning.Settings;
using Automation.Profiles.Model;
using NodaTime;
using NodaTime.Text;

namespace Automation.Planning.Triggers;

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

    /// <summary>The figures the saved model gives (the interval rule gives fewer, and <c>usual_interval_days</c>).</summary>
    public TriggerCandidate Example(LocalDate date) => new(Name, "example", "at risk (an example)", new Dictionary<string, string>
    {
        ["churn_model"] = "bgnbd",
        ["p_alive"] = "0.12",
        ["expected_purchases_90d"] = "0.15",
        ["purchase_chance_90d"] = "0.14",
        ["expected_average_spend"] = "48.50",
        ["predicted_value"] = "62.10",
        ["predicted_value_currency"] = "EUR",
        ["predicted_value_days"] = "365",
        ["expected_next_purchase_date"] = LocalDatePattern.Iso.Format(date.PlusDays(120)),
        ["days_since_last_purchase"] = "140",
        ["last_purchase_date"] = LocalDatePattern.Iso.Format(date.PlusDays(-140)),
        ["purchase_days"] = "6",
        ["usual_interval_days"] = "35",
    }, CooldownKey: Name);

    public string ExplainSilence(CustomerProfile profile, DayContext context, LocalDate date) =>
        context.Churn.Assess(profile.Purchases, date) is { } assessment
            ? (assessment.Judged ? "not at risk: " : "no verdict: ") + assessment.Explanation
            : context.Churn.ExplainNoAssessment(profile.Purchases, date);
}
