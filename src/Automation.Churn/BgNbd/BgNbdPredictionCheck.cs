using System.Globalization;
using Automation.Churn.Summaries;

namespace Automation.Churn.BgNbd;

/// <summary>
/// Proves a fitted model on the data it was fitted on before it is saved: every distinct (x, t_x, T)
/// must give a finite P(alive) in [0, 1] and finite, non-negative expectations over the horizons
/// planning asks for. A model that fails here would fail in every later plan.
/// </summary>
public static class BgNbdPredictionCheck
{
    /// <summary>The churn outlook (90 days), a year and three years: the value horizons planning quotes.</summary>
    public static readonly IReadOnlyList<double> HorizonsWeeks = [90 / RfmSummary.DaysPerWeek, 365 / RfmSummary.DaysPerWeek, 3 * 365 / RfmSummary.DaysPerWeek];

    /// <summary>The first failure, in words, or <c>null</c> when every customer's numbers hold.</summary>
    public static string? FirstFailure(BgNbdParameters model, RfmSample sample)
    {
        if (!new[] { model.R, model.Alpha, model.A, model.B }.All(p => double.IsFinite(p) && p > 0)) return "r, α, a and b must be finite positive numbers";
        foreach (var customer in sample.DistinctSummaries)
        {
            if (Failure(model, customer) is { } failure) return failure;
        }

        return null;
    }

    private static string? Failure(BgNbdParameters model, RfmSummary customer)
    {
        var who = string.Create(CultureInfo.InvariantCulture, $"x={customer.Frequency}, t_x={customer.Recency:0.###}, T={customer.Age:0.###} weeks");
        try
        {
            var alive = model.ProbabilityAlive(customer);
            if (!(alive is >= 0 and <= 1)) return string.Create(CultureInfo.InvariantCulture, $"P(alive) is {alive} for {who}");
            foreach (var weeks in HorizonsWeeks)
            {
                var expected = model.ExpectedPurchases(customer, weeks);
                var chance = model.ProbabilityOfPurchaseWithin(customer, weeks);
                if (!(double.IsFinite(expected) && expected >= 0) || !(chance is >= 0 and <= 1))
                {
                    return string.Create(CultureInfo.InvariantCulture, $"over {weeks:0.#} weeks the expected purchases are {expected} and the purchase chance {chance} for {who}");
                }
            }
        }
        catch (ArithmeticException ex)
        {
            return $"{ex.Message} ({who})";
        }

        return null;
    }
}
