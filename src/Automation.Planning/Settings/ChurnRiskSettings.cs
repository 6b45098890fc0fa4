namespace Automation.Planning.Settings;

/// <param name="AliveThreshold">A repeat customer is at risk once the churn model's P(alive) falls below this.</param>
/// <param name="OneTimeBuyerRepeatChance">A one-time buyer (P(alive) is 1 for them by construction) is at risk once their chance of a second purchase in the next 90 days falls below this; 0 turns the rule off.</param>
/// <param name="MinRepeatCustomers">Below this many customers with a repeat purchase in the saved model, the interval rule (MinPurchaseDays, LapseMultiple) decides instead.</param>
/// <param name="ValueHorizonDays">The horizon of the predicted value quoted in reasons and templates.</param>
/// <param name="AnnualDiscountRate">The predicted value's discount rate per year.</param>
/// <param name="RefitIntervalDays">The churn model is refitted when the latest is this many days old.</param>
public sealed record ChurnRiskSettings(
    TriggerSettings Trigger,
    int MinPurchaseDays,
    double LapseMultiple,
    double AliveThreshold,
    double OneTimeBuyerRepeatChance,
    int MinRepeatCustomers,
    int ValueHorizonDays,
    double AnnualDiscountRate,
    int RefitIntervalDays);
