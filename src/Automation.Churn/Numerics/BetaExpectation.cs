namespace Automation.Churn.Numerics;

/// <summary>
/// E[g(p)] for p ~ Beta(a, β), by the trapezoid rule in s = logit p. In s the Beta density is
/// exp(a·s − (a + β)·ln(1 + eˢ)) up to a constant: smooth, log-concave and with exponential tails on
/// both sides, where the trapezoid rule converges geometrically. The step follows the posterior's
/// spread, so a concentrated posterior (large a and β, where a hypergeometric series needs millions of
/// terms) costs a few hundred points.
/// </summary>
internal static class BetaExpectation
{
    /// <summary>Points further below the peak than this (in log density) change nothing at double precision.</summary>
    private const double LogDensityCutoff = 46;
    private const int MaxPoints = 2_000_000;

    /// <param name="g">Bounded on (0, 1), and smooth in logit p.</param>
    public static double Of(double a, double beta, Func<double, double> g)
    {
        if (!(a > 0 && beta > 0 && double.IsFinite(a) && double.IsFinite(beta))) throw new ArithmeticException(FormattableString.Invariant($"Beta({a:G6}, {beta:G6}) needs finite positive shapes."));
        var mode = Math.Log(a) - Math.Log(beta);
        var spread = Math.Sqrt(1 / a + 1 / beta);
        var step = Math.Min(0.25, spread / 6);
        var peak = LogDensity(mode, a, beta);

        double weightedSum = 0, totalWeight = 0;
        var points = 0;
        foreach (var direction in (ReadOnlySpan<int>)[1, -1])
        {
            for (var i = direction == 1 ? 0 : 1; ; i++)
            {
                var s = mode + direction * i * step;
                var logWeight = LogDensity(s, a, beta) - peak;
                if (logWeight < -LogDensityCutoff) break;
                if (++points > MaxPoints) throw new ArithmeticException(FormattableString.Invariant($"The Beta({a:G6}, {beta:G6}) expectation needs more than {MaxPoints:N0} points."));
                var weight = Math.Exp(logWeight);
                weightedSum += weight * g(Logistic(s));
                totalWeight += weight;
            }
        }

        var expectation = weightedSum / totalWeight;
        return double.IsFinite(expectation) ? expectation : throw new ArithmeticException(FormattableString.Invariant($"The Beta({a:G6}, {beta:G6}) expectation is not finite."));
    }

    private static double LogDensity(double s, double a, double beta) => a * s - (a + beta) * SoftPlus(s);

    /// <summary>ln(1 + eˢ) without overflow.</summary>
    private static double SoftPlus(double s) => s > 0 ? s + LogSpace.Log1p(Math.Exp(-s)) : LogSpace.Log1p(Math.Exp(s));

    private static double Logistic(double s) => s >= 0 ? 1 / (1 + Math.Exp(-s)) : Math.Exp(s) / (1 + Math.Exp(s));
}
