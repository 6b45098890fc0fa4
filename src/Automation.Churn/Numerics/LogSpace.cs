namespace Automation.Churn.Numerics;

/// <summary>Sums and ratios of quantities held as logarithms, so that huge or tiny terms never overflow.</summary>
internal static class LogSpace
{
    /// <summary>log(exp(a) + exp(b)) without leaving log space; <paramref name="weightOfA"/> is exp(a) / (exp(a) + exp(b)).</summary>
    public static double LogSumExp(double a, double b, out double weightOfA)
    {
        if (a >= b)
        {
            var e = Math.Exp(b - a);
            weightOfA = 1 / (1 + e);
            return a + Math.Log(1 + e);
        }

        var f = Math.Exp(a - b);
        weightOfA = f / (1 + f);
        return b + Math.Log(1 + f);
    }

    /// <summary>1 / (1 + exp(logRatio)), finite for any finite <paramref name="logRatio"/>.</summary>
    public static double OneOverOnePlusExp(double logRatio) =>
        logRatio > 0 ? Math.Exp(-logRatio) / (1 + Math.Exp(-logRatio)) : 1 / (1 + Math.Exp(logRatio));

    /// <summary>
    /// exp(x) − 1, accurate for x near 0 (Kahan's correction; MathNet's Expm1 is a short series
    /// accurate to about 1e-7 there, which the BG/NBD expectation would inherit).
    /// </summary>
    public static double Expm1(double x)
    {
        var u = Math.Exp(x);
        if (u == 1) return x;
        var um1 = u - 1;
        return um1 == -1 ? -1 : um1 * x / Math.Log(u);
    }

    /// <summary>ln(1 + x), accurate for x near 0 (Kahan's correction).</summary>
    public static double Log1p(double x)
    {
        var u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }
}
