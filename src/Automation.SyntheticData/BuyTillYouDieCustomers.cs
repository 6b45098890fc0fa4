using MathNet.Numerics.Distributions;

namespace Automation.SyntheticData;

/// <summary>One simulated customer's calibration summary; times in weeks.</summary>
/// <param name="MeanRepeatSpend">Mean value of the repeat purchases; <c>null</c> without one.</param>
public sealed record SimulatedCustomer(int Frequency, double Recency, double Age, double? MeanRepeatSpend);

/// <summary>The parameters customers are drawn from: BG/NBD (r, α, a, b) and Gamma-Gamma (p, q, γ).</summary>
public sealed record BuyTillYouDieTruth(double R, double Alpha, double A, double B, double P, double Q, double Gamma)
{
    /// <summary>The published CDNOW estimates (Fader, Hardie &amp; Lee 2005; Fader &amp; Hardie 2013).</summary>
    public static BuyTillYouDieTruth Cdnow { get; } = new(0.243, 4.414, 0.793, 2.426, 6.25, 3.74, 15.44);
}

/// <summary>
/// Customers who behave exactly as the BG/NBD and Gamma-Gamma models assume, to check that fitting
/// recovers the parameters they were drawn from and to measure fits at scale. Each customer: a purchase
/// rate λ ~ Gamma(r, α) and a drop-out probability p ~ Beta(a, b); a first purchase at 0, then
/// exponential waits, dropping out after each repeat purchase with probability p; observed for T weeks.
/// Spend: ν ~ Gamma(q, γ) per customer, each purchase Gamma(p, ν).
/// </summary>
public static class BuyTillYouDieCustomers
{
    /// <param name="ageWeeks">The range observation lengths T are drawn from, uniformly (CDNOW: 27–39 weeks).</param>
    /// <param name="wholeDays">Round times down to whole days and merge purchases on one day, as profiles keep them.</param>
    public static IEnumerable<SimulatedCustomer> Simulate(BuyTillYouDieTruth truth, int customers, (double Min, double Max) ageWeeks, int seed, bool wholeDays = false)
    {
        var random = new Random(seed);
        for (var i = 0; i < customers; i++)
        {
            var rate = Gamma.Sample(random, truth.R, truth.Alpha);
            var dropOut = Beta.Sample(random, truth.A, truth.B);
            var age = Round(ageWeeks.Min + random.NextDouble() * (ageWeeks.Max - ageWeeks.Min), wholeDays);
            var spendScale = Gamma.Sample(random, truth.Q, truth.Gamma);

            var (time, purchases, last, spend) = (0.0, 0, 0.0, 0.0);
            while (true)
            {
                time += Exponential.Sample(random, rate);
                if (Round(time, wholeDays) > age) break;
                // A profile counts purchase days: a second purchase on the same day is the same occasion.
                if (wholeDays && Round(time, true) == Round(last, true)) continue;
                purchases++;
                last = time;
                spend += Gamma.Sample(random, truth.P, spendScale);
                if (random.NextDouble() < dropOut) break;
            }

            yield return new SimulatedCustomer(purchases, Round(last, wholeDays), age, purchases > 0 ? spend / purchases : null);
        }
    }

    private static double Round(double weeks, bool wholeDays) => wholeDays ? Math.Floor(weeks * 7) / 7 : weeks;
}
