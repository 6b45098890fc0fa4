using Automation.Profiles.Model;
using NodaTime;

namespace Automation.Planning.Triggers;

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
