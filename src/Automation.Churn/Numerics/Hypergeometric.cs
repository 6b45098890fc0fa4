namespace Automation.Churn.Numerics;

/// <summary>
/// The Gaussian hypergeometric function ₂F₁ in the form the BG/NBD conditional expectation needs.
/// </summary>
internal static class Hypergeometric
{
    /// <summary>Past this many terms the sum is refused; <see cref="SeriesTermsEstimate"/> lets callers choose another method well before.</summary>
    private const int MaxTerms = 10_000_000;

    /// <summary>
    /// [1 − (1 − z)^B · ₂F₁(A, B; C; z)] / B for 0 ≤ z &lt; 1, continuous through B = 0.
    /// Writing ₂F₁ = 1 + B·S with S = Σ_{k≥1} (A)_k (B+1)_{k−1} / ((C)_k k!) z^k lets the leading 1 cancel
    /// exactly: the result is [1 − (1 − z)^B] / B − (1 − z)^B · S, with the first part from expm1, so no
    /// precision is lost when B is near 0 (a BG/NBD <c>a</c> near 1). The damping (1 − z)^B is carried
    /// inside every term as a logarithm, so terms that would overflow on their own (large B) never do.
    /// </summary>
    /// <exception cref="ArithmeticException">z is outside [0, 1), C is a non-positive integer, or the series needs more than <see cref="MaxTerms"/> terms.</exception>
    /// <param name="scale">The largest magnitude that went into the result (the leading part, or a term of the
    /// series, which alternates in sign while A + k &lt; 0): digits are lost in proportion to how much smaller
    /// than it the result is.</param>
    public static double OneMinusDampedOverB(double A, double B, double C, double z, out double scale)
    {
        if (!(z >= 0 && z < 1)) throw new ArithmeticException(FormattableString.Invariant($"2F1 is summed for 0 ≤ z < 1 only, not z = {z:G6}."));
        var logOneMinusZ = LogSpace.Log1p(-z);
        var leading = B == 0 ? -logOneMinusZ : -LogSpace.Expm1(B * logOneMinusZ) / B;
        var series = DampedSeries(A, B, C, z, B * logOneMinusZ, leading, out var largestTerm);
        scale = Math.Max(Math.Abs(leading), largestTerm);
        return leading - series;
    }

    /// <summary>
    /// Roughly how many terms <see cref="OneMinusDampedOverB"/> sums: the terms grow until k ≈ B·z / (1 − z)
    /// and then shrink by about z per term.
    /// </summary>
    public static double SeriesTermsEstimate(double B, double z) => (Math.Max(B, 0) + 40) / (1 - z);

    /// <summary>(1 − z)^B · S, every term kept as sign and logarithm until it is added.</summary>
    private static double DampedSeries(double A, double B, double C, double z, double logDamping, double leading, out double largestTerm)
    {
        largestTerm = 0;
        if (z == 0 || A == 0) return 0;
        if (C <= 0 && C == Math.Floor(C)) throw Undefined(A, B, C, z);
        var logZ = Math.Log(z);
        var logTerm = logDamping + Math.Log(Math.Abs(A / C)) + logZ;
        var sign = Math.Sign(A / C);
        var sum = sign * Math.Exp(logTerm);
        var largestLogTerm = logTerm;
        for (var k = 1; k < MaxTerms; k++)
        {
            var (growthA, growthB) = ((A + k) / (C + k), (B + k) / (k + 1));
            if (double.IsInfinity(growthA)) throw Undefined(A, B, C, z);
            if (growthA == 0 || growthB == 0) return Finite(sum, largestLogTerm, out largestTerm, A, B, C, z);
            // Each of the two factors moves monotonically toward 1 as k grows (C + k > 0 and k + 1 > 0
            // from here on), so every later ratio is at most q; once q < 1 the rest of the series is at
            // most term · q / (1 − q), and below the rounding of the result the sum is complete.
            if (C + k > 0)
            {
                var q = Math.Max(Math.Abs(growthA), 1) * Math.Max(Math.Abs(growthB), 1) * z;
                if (q < 1 && Math.Exp(logTerm) * q / (1 - q) <= 1e-17 * Math.Max(Math.Abs(leading), Math.Abs(sum))) return Finite(sum, largestLogTerm, out largestTerm, A, B, C, z);
            }

            logTerm += Math.Log(Math.Abs(growthA * growthB)) + logZ;
            sign *= Math.Sign(growthA * growthB);
            sum += sign * Math.Exp(logTerm);
            largestLogTerm = Math.Max(largestLogTerm, logTerm);
        }

        throw new ArithmeticException(FormattableString.Invariant(
            $"The hypergeometric series 2F1({A:G6}, {B:G6}; {C:G6}; {z:G6}) did not settle within {MaxTerms:N0} terms."));
    }

    private static ArithmeticException Undefined(double A, double B, double C, double z) =>
        new(FormattableString.Invariant($"2F1({A:G6}, {B:G6}; {C:G6}; {z:G6}) is undefined: C is a non-positive integer."));

    private static double Finite(double sum, double largestLogTerm, out double largestTerm, double A, double B, double C, double z)
    {
        largestTerm = Math.Exp(largestLogTerm);
        return double.IsFinite(sum) ? sum : throw new ArithmeticException(FormattableString.Invariant($"The hypergeometric series 2F1({A:G6}, {B:G6}; {C:G6}; {z:G6}) overflowed."));
    }
}
