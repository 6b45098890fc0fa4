using Automation.Churn.Numerics;
using Automation.Churn.Summaries;

namespace Automation.Churn.BgNbd;

/// <summary>
/// The four BG/NBD parameters (Fader, Hardie &amp; Lee 2005): purchase rates across customers are
/// Gamma(<see cref="R"/>, <see cref="Alpha"/>), and after each repeat purchase a customer drops out with a
/// probability that is Beta(<see cref="A"/>, <see cref="B"/>) across customers. Times in weeks.
/// Every formula works with logarithms, so a customer with hundreds of purchases or a history of
/// decades gives finite answers.
/// </summary>
public sealed record BgNbdParameters(double R, double Alpha, double A, double B)
{
    /// <summary>
    /// The probability that the customer has not dropped out (paper, eq. 13). Exactly 1 without a repeat
    /// purchase: the model lets customers drop out only after a repeat purchase, so it cannot tell a
    /// lapsed one-time buyer from a slow one (see <see cref="ProbabilityOfPurchaseWithin"/>).
    /// </summary>
    public double ProbabilityAlive(RfmSummary customer) => LogSpace.OneOverOnePlusExp(LogDeadToAliveRatio(customer));

    /// <summary>
    /// E[Y(t) | x, t_x, T]: the expected number of purchases in the next <paramref name="weeks"/> (paper,
    /// eq. 10). With z = t / (α + T + t), Euler's transformation turns (1 − z)^(r+x) ₂F₁(r+x, b+x; a+b+x−1; z)
    /// into (1 − z)^(a−1) ₂F₁(a+b−1−r, a−1; a+b+x−1; z), whose terms neither grow with x nor overflow.
    /// That series needs about (a + 40) / (1 − z) terms, and it is a difference that loses digits when
    /// b is much larger than a, or when r exceeds a + b and its terms alternate in sign. Where it would
    /// need too many terms or has lost more than six digits, the same number comes from the
    /// expectation eq. 10 is: over a surviving customer's dropout probability
    /// p ~ Beta(a, b + x), E[(1 − (1 + p·t / (α + T))^−(r+x)) / p], a mean of positive terms.
    /// </summary>
    /// <exception cref="ArithmeticException">The numbers cannot be computed for this customer; callers judge them without it.</exception>
    public double ExpectedPurchases(RfmSummary customer, double weeks)
    {
        if (weeks <= 0) return 0;
        var x = customer.Frequency;
        var z = weeks / (Alpha + customer.Age + weeks);
        if (Hypergeometric.SeriesTermsEstimate(A - 1, z) <= MaxSeriesTerms)
        {
            var series = (A + B + x - 1) * Hypergeometric.OneMinusDampedOverB(A + B - 1 - R, A - 1, A + B + x - 1, z, out var scale);
            if (series > 1e-6 * Math.Abs(A + B + x - 1) * scale) return series * ProbabilityAlive(customer);
        }

        var rate = weeks / (Alpha + customer.Age);
        var shape = R + x;
        var conditional = BetaExpectation.Of(A, B + x, p => p == 0 ? shape * rate : -LogSpace.Expm1(-shape * LogSpace.Log1p(p * rate)) / p);
        return conditional * ProbabilityAlive(customer);
    }

    private const double MaxSeriesTerms = 20_000;

    /// <summary>
    /// The probability of at least one purchase in the next <paramref name="weeks"/>: alive, and the
    /// Poisson process with the customer's posterior rate, Gamma(r + x, α + T), fires. For a one-time buyer
    /// (always "alive") this is what falls as they stay away.
    /// </summary>
    public double ProbabilityOfPurchaseWithin(RfmSummary customer, double weeks)
    {
        if (weeks <= 0) return 0;
        var logNone = (R + customer.Frequency) * Math.Log((Alpha + customer.Age) / (Alpha + customer.Age + weeks));
        return -LogSpace.Expm1(logNone) * ProbabilityAlive(customer);
    }

    /// <summary>
    /// The expected wait for the next purchase if the customer is alive: with the posterior rate
    /// Gamma(r + x, α + T) the wait is Lomax-distributed with mean (α + T) / (r + x − 1). <c>null</c> when
    /// r + x ≤ 1: the mean is infinite, the rate too uncertain to name a date.
    /// </summary>
    public double? ExpectedWeeksToNextPurchase(RfmSummary customer)
    {
        var shape = R + customer.Frequency;
        return shape > 1 ? (Alpha + customer.Age) / (shape - 1) : null;
    }

    /// <summary>log of a / (b + x − 1) · ((α + T) / (α + t_x))^(r + x): the odds of having dropped out.</summary>
    private double LogDeadToAliveRatio(RfmSummary customer)
    {
        var x = customer.Frequency;
        if (x == 0) return double.NegativeInfinity;
        return Math.Log(A) - Math.Log(B + x - 1) + (R + x) * (Math.Log(Alpha + customer.Age) - Math.Log(Alpha + customer.Recency));
    }

    public override string ToString() => FormattableString.Invariant($"r={R:0.####} α={Alpha:0.####} a={A:0.####} b={B:0.####}");
}
