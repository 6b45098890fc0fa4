
namespace Automation.Churn.Numerics;

/// <summary>
/// The Gaussian hypergeometric function ₂F₁ in the form the BG/NBD conditional expectation needs.
/// </summary>
internal static class Hypergeometric
{
    private const int MaxTerms = 10_000_000;

    /// <summary>
    /// [1 − (1 − z)^B · ₂F₁(A, B; C; z)] / B for 0 ≤ z &lt; 1, continuous through B = 0.
    /// Writing ₂F₁ = 1 + B·S with S = Σ_{k≥1} (A)_k (B+1)_{k−1} / ((C)_k k!) z^k lets the leading 1 cancel
    /// exactly: the result is [1 − (1 − z)^B] / B − (1 − z)^B · S, with the first part from expm1, so no
    /// precision is lost when B is near 0 (a BG/NBD <c>a</c> near 1).
    /// </summary>
    /// <exception cref="ArithmeticException">The series does not settle (z too close to 1, or C a non-positive integer).</exception>
    public static double OneMinusDampedOverB(double A, double B, double C, double z)
    {
        if (!(z >= 0 && z < 1)) throw new ArgumentOutOfRangeException(nameof(z), z, "The series is used for 0 ≤ z < 1 only.");
        var logOneMinusZ = LogSpace.Log1p(-z);
        var damping = Math.Exp(B * logOneMinusZ);
        var leading = B == 0 ? -logOneMinusZ : -LogSpace.Expm1(B * logOneMinusZ) / B;
        return leading - damping * SeriesWithoutB(A, B, C, z);
    }

    private static double SeriesWithoutB(double A, double B, double C, double z)
    {
        if (z == 0) return 0;
        if (C == 0) throw new ArithmeticException(FormattableString.Invariant($"2F1({A:G6}, {B:G6}; 0; z) is undefined."));
        var term = A / C * z;
        var sum = term;
        for (var k = 1; k < MaxTerms; k++)
        {
            var denominator = (C + k) * (k + 1);
            if (denominator == 0) throw new ArithmeticException(FormattableString.Invariant($"2F1({A:G6}, {B:G6}; {C:G6}; z) is undefined: C is a non-positive integer."));
            term *= (A + k) * (B + k) / denominator * z;
            sum += term;
            // Past the peak the terms shrink at least geometrically (ratio → z), so a term below the
            // rounding of the sum ends it.
            if (Math.Abs(term) <= 1e-17 * Math.Abs(sum) && Math.Abs((A + k) * (B + k) / denominator) <= 1) return Finite(sum, A, B, C, z);
        }

        throw new ArithmeticException(FormattableString.Invariant(
            $"The hypergeometric series 2F1({A:G6}, {B:G6}; {C:G6}; {z:G6}) did not settle within {MaxTerms:N0} terms: the horizon is too long for the customer's history."));
    }

    private static double Finite(double sum, double A, double B, double C, double z) =>
        double.IsFinite(sum) ? sum : throw new ArithmeticException(FormattableString.Invariant($"The hypergeometric series 2F1({A:G6}, {B:G6}; {C:G6}; {z:G6}) overflowed."));
}
