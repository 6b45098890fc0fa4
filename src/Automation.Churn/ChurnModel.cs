using Automation.Churn.BgNbd;
using Automation.Churn.GammaGamma;
using Automation.Churn.Summaries;
using NodaTime;

namespace Automation.Churn;

/// <summary>
/// A fitted churn model as saved: BG/NBD over every customer, Gamma-Gamma over the repeat customers who
/// buy in <see cref="Currency"/>. Planning uses the latest one saved.
/// </summary>
/// <param name="AsOf">The day the customers' histories were cut at (T counts up to it).</param>
/// <param name="Spend">The spend model, or <c>null</c> with the reason in <see cref="SpendNote"/>: without it there is no predicted value.</param>
public sealed record ChurnModel(Instant FittedAt, LocalDate AsOf, BgNbdFit Purchases, GammaGammaFit? Spend, string? Currency, string? SpendNote)
{
    /// <summary>
    /// The outlook of one customer over <paramref name="horizonWeeks"/>, with their predicted value over
    /// <paramref name="value"/> when given: the value costs one expectation per week of its horizon, so
    /// callers that judge every customer ask for it only where they quote it.
    /// </summary>
    /// <exception cref="ArithmeticException">The model's numbers fail for this customer.</exception>
    public CustomerOutlook Outlook(RfmSummary customer, CustomerSpend spend, double horizonWeeks, ValueHorizon? value)
    {
        var model = Purchases.Parameters;
        var expectedSpend = ExpectedAverageSpend(customer, spend);
        var alive = model.ProbabilityAlive(customer);
        if (!(alive is >= 0 and <= 1)) throw new ArithmeticException(FormattableString.Invariant($"P(alive) is {alive} under {model}."));
        return new CustomerOutlook(
            alive,
            model.ExpectedPurchases(customer, horizonWeeks),
            model.ProbabilityOfPurchaseWithin(customer, horizonWeeks),
            expectedSpend,
            expectedSpend is { } perPurchase && value is { } horizon ? CustomerValue.Predict(model, customer, perPurchase, horizon.Weeks, horizon.AnnualDiscountRate) : null);
    }

    /// <summary>
    /// The spend model's expectation, in <see cref="Currency"/>: the customer's own repeat mean shrunk
    /// toward the population's, or the population's without one. <c>null</c> without a spend model or when
    /// the customer buys in another currency.
    /// </summary>
    public double? ExpectedAverageSpend(RfmSummary customer, CustomerSpend spend)
    {
        if (Spend is null || spend.Currency != Currency) return null;
        return Spend.Parameters.ExpectedAverageSpend(customer.Frequency, spend.RepeatMean);
    }
}

/// <summary>How far ahead a predicted value looks, and how it discounts.</summary>
public sealed record ValueHorizon(double Weeks, double AnnualDiscountRate);

/// <summary>One customer's prospects under a <see cref="ChurnModel"/>.</summary>
/// <param name="ProbabilityOfPurchase">The chance of at least one purchase within the horizon.</param>
/// <param name="PredictedValue">Discounted expected spend over the value horizon; <c>null</c> without a spend expectation.</param>
public sealed record CustomerOutlook(double ProbabilityAlive, double ExpectedPurchases, double ProbabilityOfPurchase, double? ExpectedAverageSpend, double? PredictedValue);
