using System.Globalization;
using Automation.Churn;
using Automation.Churn.Summaries;
using Automation.Planning.Settings;
using Automation.Profiles.Model;
using NodaTime;
using NodaTime.Text;

namespace Automation.Planning.Triggers;

/// <summary>
/// Churn risk from the saved BG/NBD model: a repeat customer is at risk once P(alive) falls below
/// <see cref="ChurnRiskSettings.AliveThreshold"/>. BG/NBD lets customers drop out only after a repeat
/// purchase, so for a one-time buyer P(alive) is always 1; they have their own rule: at risk once the
/// chance of a second purchase in the next 90 days falls below <see cref="ChurnRiskSettings.OneTimeBuyerRepeatChance"/>.
/// Reasons quote P(alive), the expected purchases in the next 90 days and the predicted value.
/// </summary>
public sealed class BuyTillYouDieChurnModel(ChurnModel model, ChurnRiskSettings settings) : IChurnRiskModel
{
    public const int OutlookDays = 90;
    private const double OutlookWeeks = OutlookDays / RfmSummary.DaysPerWeek;

    public ChurnAssessment? Assess(PurchaseSummary purchases, LocalDate today)
    {
        if (ProfileHistory.Summary(purchases, today) is not { } customer) return null;
        var last = purchases.PurchaseDays[customer.Frequency];
        var spend = ProfileHistory.Spend(purchases, customer.Frequency);
        CustomerOutlook outlook;
        bool atRisk;
        try
        {
            outlook = model.Outlook(customer, spend, OutlookWeeks, value: null);
            atRisk = customer.Frequency == 0
                ? outlook.ProbabilityOfPurchase < settings.OneTimeBuyerRepeatChance
                : outlook.ProbabilityAlive < settings.AliveThreshold;
            // The value is quoted where a message goes out; judging everyone else does not pay for it.
            if (atRisk) outlook = model.Outlook(customer, spend, OutlookWeeks, new ValueHorizon(settings.ValueHorizonDays / RfmSummary.DaysPerWeek, settings.AnnualDiscountRate));
        }
        catch (ArithmeticException ex)
        {
            // One customer's numbers must not stop the plan: no verdict means no churn message for them alone.
            return ChurnAssessment.Undecided(last, $"the churn model could not compute this customer's outlook ({ex.Message}); no churn-risk message is planned", new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["churn_model"] = "bgnbd",
                ["churn_model_error"] = ex.Message,
            });
        }

        var since = Period.DaysBetween(last, today);

        var figures = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["churn_model"] = "bgnbd",
            ["p_alive"] = Number(outlook.ProbabilityAlive, "0.###"),
            ["expected_purchases_90d"] = Number(outlook.ExpectedPurchases, "0.###"),
            ["purchase_chance_90d"] = Number(outlook.ProbabilityOfPurchase, "0.###"),
            ["days_since_last_purchase"] = since.ToString(CultureInfo.InvariantCulture),
            ["last_purchase_date"] = LocalDatePattern.Iso.Format(last),
            ["purchase_days"] = (customer.Frequency + 1).ToString(CultureInfo.InvariantCulture),
        };
        if (outlook.ExpectedAverageSpend is { } averageSpend) figures["expected_average_spend"] = Number(averageSpend, "0.00");
        if (outlook.PredictedValue is { } value)
        {
            figures["predicted_value"] = Number(value, "0.00");
            figures["predicted_value_currency"] = model.Currency ?? "";
            figures["predicted_value_days"] = settings.ValueHorizonDays.ToString(CultureInfo.InvariantCulture);
        }

        if (model.Purchases.Parameters.ExpectedWeeksToNextPurchase(customer) is { } weeks && weeks * RfmSummary.DaysPerWeek < 100 * 365)
        {
            figures["expected_next_purchase_date"] = LocalDatePattern.Iso.Format(today.PlusDays((int)Math.Round(weeks * RfmSummary.DaysPerWeek)));
        }

        var valueText = outlook.PredictedValue is { } predicted
            ? $"; predicted value {Number(predicted, "0.00")} {model.Currency} over {settings.ValueHorizonDays} days"
            : !atRisk ? ""
            : "; no predicted value (" + (model.Spend is null ? model.SpendNote : $"the customer's purchases are not all in {model.Currency}") + ")";
        var fitted = string.Create(CultureInfo.InvariantCulture, $"BG/NBD fitted {LocalDatePattern.Iso.Format(model.AsOf)} on {model.Purchases.Customers:N0} customers");
        var lastText = $"last purchase {since} days ago";

        if (customer.Frequency == 0)
        {
            var chance = outlook.ProbabilityOfPurchase;
            var rule = settings.OneTimeBuyerRepeatChance > 0 ? $"at risk below {Percent(settings.OneTimeBuyerRepeatChance)}" : "the one-time buyer rule is off";
            return new ChurnAssessment(
                atRisk,
                last,
                $"one-time buyer, {lastText} (P(alive) is 1 until a repeat purchase); chance of a second purchase in the next {OutlookDays} days {Percent(chance)}, {rule}{valueText}; {fitted}",
                figures);
        }

        return new ChurnAssessment(
            atRisk,
            last,
            $"P(alive) {Number(outlook.ProbabilityAlive, "0.00")}, at risk below {Number(settings.AliveThreshold, "0.00")}; expected purchases in the next {OutlookDays} days {Number(outlook.ExpectedPurchases, "0.00")}{valueText}; {customer.Frequency + 1} purchase days, {lastText}; {fitted}",
            figures);
    }

    public string ExplainNoAssessment(PurchaseSummary purchases, LocalDate today) => "no purchase yet";

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Percent(double probability) => (probability * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}

/// <summary>Which churn model decides today.</summary>
public static class ChurnRiskModels
{
    /// <summary>
    /// The saved buy-till-you-die model when there is one fitted on enough repeat customers
    /// (<see cref="ChurnRiskSettings.MinRepeatCustomers"/>); otherwise the interval rule, whose reasons say why.
    /// </summary>
    public static IChurnRiskModel Choose(ChurnModel? saved, ChurnRiskSettings settings)
    {
        if (saved is null) return new PurchaseIntervalChurnModel(settings, "no churn model has been fitted yet");
        if (saved.Purchases.RepeatCustomers < settings.MinRepeatCustomers)
        {
            return new PurchaseIntervalChurnModel(settings, string.Create(CultureInfo.InvariantCulture,
                $"the churn model fitted {LocalDatePattern.Iso.Format(saved.AsOf)} saw {saved.Purchases.RepeatCustomers:N0} customers with a repeat purchase, fewer than the {settings.MinRepeatCustomers:N0} it needs"));
        }

        return new BuyTillYouDieChurnModel(saved, settings);
    }
}
