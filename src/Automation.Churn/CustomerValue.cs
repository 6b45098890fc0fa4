using Automation.Churn.BgNbd;
using Automation.Churn.Summaries;

namespace Automation.Churn;

/// <summary>What a customer is expected to be worth over a horizon, in money of today.</summary>
public static class CustomerValue
{
    public const double WeeksPerYear = 365.2425 / 7;

    /// <summary>
    /// Σ over the horizon's weeks of the purchases expected in that week (differences of the BG/NBD
    /// conditional expectation) × the expected spend per purchase, each week discounted at
    /// <paramref name="annualDiscountRate"/> compounded weekly. The last week may be partial.
    /// </summary>
    public static double Predict(BgNbdParameters model, RfmSummary customer, double expectedSpend, double horizonWeeks, double annualDiscountRate)
    {
        var weeklyLogDiscount = Math.Log(1 + annualDiscountRate) / WeeksPerYear;
        double value = 0, before = 0, expectedBefore = 0;
        for (var week = 1.0; before < horizonWeeks; week++)
        {
            var end = Math.Min(week, horizonWeeks);
            var expected = model.ExpectedPurchases(customer, end);
            value += (expected - expectedBefore) * Math.Exp(-weeklyLogDiscount * end);
            (before, expectedBefore) = (end, expected);
        }

        return value * expectedSpend;
    }
}
