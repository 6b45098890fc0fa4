using NodaTime;

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
