namespace Automation.Reporting.Statistics;

/// <summary>A share with its 95% interval.</summary>
public readonly record struct Interval(double Estimate, double Low, double High)
{
    public bool Excludes(double value) => value < Low || value > High;
}

/// <summary>
/// Intervals for proportions that hold at the sample sizes of a small shop: Wilson's score interval for
/// one proportion and Newcombe's hybrid score interval (his method 10, 1998) for the difference of two.
/// Unlike the textbook Wald interval they stay inside [0, 1] and keep close to their nominal coverage
/// when a rate is a few percent and a group a few hundred customers.
/// </summary>
public static class Proportions
{
    /// <summary>The two-sided 95% normal quantile.</summary>
    public const double Z95 = 1.959963984540054;

    /// <summary>The normal quantile for 80% power.</summary>
    private const double Z80 = 0.8416212335729143;

    public static Interval Wilson(long successes, long trials, double z = Z95)
    {
        if (trials <= 0) return new Interval(double.NaN, 0, 1);
        var n = (double)trials;
        var p = successes / n;
        var z2 = z * z;
        var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        var half = z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new Interval(p, Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>The difference <c>p1 − p2</c> with Newcombe's interval, from each group's Wilson interval.</summary>
    public static Interval Difference(long successes1, long trials1, long successes2, long trials2)
    {
        var a = Wilson(successes1, trials1);
        var b = Wilson(successes2, trials2);
        var d = a.Estimate - b.Estimate;
        var low = d - Math.Sqrt(Square(a.Estimate - a.Low) + Square(b.High - b.Estimate));
        var high = d + Math.Sqrt(Square(a.High - a.Estimate) + Square(b.Estimate - b.Low));
        return new Interval(d, low, high);
    }

    /// <summary>
    /// Customers needed in each of two equal groups to detect a rise of <paramref name="lift"/> over a base
    /// rate of <paramref name="baseRate"/> with a two-sided 5% test and 80% power (the usual normal
    /// approximation).
    /// </summary>
    public static long SampleSizePerGroup(double baseRate, double lift)
    {
        var p1 = Math.Clamp(baseRate, 0.0005, 0.9995);
        var p2 = Math.Min(0.9999, p1 + lift);
        var mean = (p1 + p2) / 2;
        var root = Z95 * Math.Sqrt(2 * mean * (1 - mean)) + Z80 * Math.Sqrt(p1 * (1 - p1) + p2 * (1 - p2));
        return (long)Math.Ceiling(root * root / Square(p2 - p1));
    }

    private static double Square(double x) => x * x;
}
