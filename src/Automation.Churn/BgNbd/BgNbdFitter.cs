using Automation.Churn.Numerics;
using Automation.Churn.Summaries;
using MathNet.Numerics;

namespace Automation.Churn.BgNbd;

/// <summary>A fitted BG/NBD model and how well it fits.</summary>
/// <param name="LogLikelihood">The total log-likelihood at the fitted parameters (CDNOW: −9582.4).</param>
/// <param name="GradientNorm">The mean log-likelihood's gradient norm with respect to the log-parameters, at the end.</param>
public sealed record BgNbdFit(BgNbdParameters Parameters, double LogLikelihood, double GradientNorm, long Customers, long RepeatCustomers, int Iterations);

/// <summary>Maximum-likelihood fit of the BG/NBD parameters over all customers' (x, t_x, T).</summary>
public static class BgNbdFitter
{
    private static readonly string[] Names = ["r", "alpha", "a", "b"];

    /// <exception cref="ModelFitException">No repeat customer, or the fit does not converge.</exception>
    public static BgNbdFit Fit(RfmSample sample)
    {
        if (sample.RepeatCustomers == 0)
        {
            throw new ModelFitException(FormattableString.Invariant($"The BG/NBD fit needs customers with a repeat purchase; none of the {sample.Customers:N0} customers has one."));
        }

        var likelihood = new BgNbdLikelihood(sample.ToColumns());
        // α is a time scale: starting it at the typical customer age starts every unit of time alike.
        var start = new[] { 1.0, Math.Max(likelihood.MeanAge, 1e-3), 1.0, 1.0 };
        var maximum = MaximumLikelihood.Maximise("BG/NBD", Names, start, likelihood.Mean);
        var p = maximum.Parameters;
        return new BgNbdFit(
            new BgNbdParameters(p[0], p[1], p[2], p[3]),
            maximum.MeanLogLikelihood * sample.Customers,
            maximum.GradientNorm,
            sample.Customers,
            sample.RepeatCustomers,
            maximum.Iterations);
    }
}

/// <summary>
/// The BG/NBD log-likelihood (paper, eq. 6) and its analytic gradient, as
/// log Γ-terms of x + log-sum-exp(−(r+x) ln(α+T), ln a − ln(b+x−1) − (r+x) ln(α+t_x)).
/// The Γ and ψ terms depend on x alone and are computed once per distinct x; each row then costs two
/// logarithms and an exponential. Rows are summed in fixed chunks on all cores, in a fixed order.
/// </summary>
internal sealed class BgNbdLikelihood
{
    private const int ChunkSize = 8_192;

    private readonly RfmSample.Columns _rows;
    private readonly int[] _distinctX;
    private readonly int[] _xIndex;
    private readonly double _customers;

    public BgNbdLikelihood(RfmSample.Columns rows)
    {
        _rows = rows;
        _distinctX = rows.Frequency.Distinct().Order().ToArray();
        _xIndex = rows.Frequency.Select(x => Array.BinarySearch(_distinctX, x)).ToArray();
        _customers = rows.Count.Sum();
        MeanAge = rows.Age.Select((age, i) => age * rows.Count[i]).Sum() / _customers;
    }

    public double MeanAge { get; }

    /// <summary>Mean log-likelihood per customer; writes d/d(r, α, a, b) of it into <paramref name="gradient"/>.</summary>
    public double Mean(double[] parameters, double[] gradient)
    {
        var (r, alpha, a, b) = (parameters[0], parameters[1], parameters[2], parameters[3]);
        var terms = new XTerms(_distinctX, r, a, b);
        var logAlpha = Math.Log(alpha);
        var logA = Math.Log(a);

        var chunks = (_xIndex.Length + ChunkSize - 1) / ChunkSize;
        var sums = new double[chunks, 5];
        Parallel.For(0, chunks, chunk =>
        {
            double ll = 0, dr = 0, dAlpha = 0, da = 0, db = 0;
            var end = Math.Min(_xIndex.Length, (chunk + 1) * ChunkSize);
            for (var i = chunk * ChunkSize; i < end; i++)
            {
                var g = _xIndex[i];
                var x = _rows.Frequency[i];
                var w = _rows.Count[i];
                var rx = r + x;
                var logAgeTerm = Math.Log(alpha + _rows.Age[i]);
                var aliveTerm = -rx * logAgeTerm;
                double mixture, aliveWeight, logRecencyTerm = 0, recencyScale = 0;
                if (x == 0)
                {
                    (mixture, aliveWeight) = (aliveTerm, 1);
                }
                else
                {
                    logRecencyTerm = Math.Log(alpha + _rows.Recency[i]);
                    var droppedTerm = logA - terms.LogBPlusXMinus1[g] - rx * logRecencyTerm;
                    mixture = LogSpace.LogSumExp(aliveTerm, droppedTerm, out aliveWeight);
                    recencyScale = 1 / (alpha + _rows.Recency[i]);
                }

                var droppedWeight = 1 - aliveWeight;
                ll += w * (terms.LogGamma[g] + r * logAlpha + mixture);
                dr += w * (terms.DR[g] + logAlpha - aliveWeight * logAgeTerm - droppedWeight * logRecencyTerm);
                dAlpha += w * (r / alpha - rx * (aliveWeight / (alpha + _rows.Age[i]) + droppedWeight * recencyScale));
                da += w * (terms.DA[g] + droppedWeight / a);
                db += w * (terms.DB[g] - droppedWeight * terms.InverseBPlusXMinus1[g]);
            }

            (sums[chunk, 0], sums[chunk, 1], sums[chunk, 2], sums[chunk, 3], sums[chunk, 4]) = (ll, dr, dAlpha, da, db);
        });

        double total = 0;
        Array.Clear(gradient);
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            total += sums[chunk, 0];
            for (var k = 0; k < 4; k++) gradient[k] += sums[chunk, k + 1];
        }

        for (var k = 0; k < 4; k++) gradient[k] /= _customers;
        return total / _customers;
    }

    /// <summary>The parts of the likelihood that depend on x but not on t_x or T.</summary>
    private readonly struct XTerms
    {
        public readonly double[] LogGamma, DR, DA, DB, LogBPlusXMinus1, InverseBPlusXMinus1;

        public XTerms(int[] distinctX, double r, double a, double b)
        {
            var n = distinctX.Length;
            (LogGamma, DR, DA, DB, LogBPlusXMinus1, InverseBPlusXMinus1) = (new double[n], new double[n], new double[n], new double[n], new double[n], new double[n]);
            var (lgR, lgB, lgAB) = (SpecialFunctions.GammaLn(r), SpecialFunctions.GammaLn(b), SpecialFunctions.GammaLn(a + b));
            var (psiR, psiB, psiAB) = (SpecialFunctions.DiGamma(r), SpecialFunctions.DiGamma(b), SpecialFunctions.DiGamma(a + b));
            for (var g = 0; g < n; g++)
            {
                var x = distinctX[g];
                if (x == 0) continue;
                // ln Γ(r+x)/Γ(r) + ln B(a, b+x)/B(a, b)
                LogGamma[g] = SpecialFunctions.GammaLn(r + x) - lgR + lgAB + SpecialFunctions.GammaLn(b + x) - lgB - SpecialFunctions.GammaLn(a + b + x);
                var psiABX = SpecialFunctions.DiGamma(a + b + x);
                DR[g] = SpecialFunctions.DiGamma(r + x) - psiR;
                DA[g] = psiAB - psiABX;
                DB[g] = psiAB + SpecialFunctions.DiGamma(b + x) - psiB - psiABX;
                LogBPlusXMinus1[g] = Math.Log(b + x - 1);
                InverseBPlusXMinus1[g] = 1 / (b + x - 1);
            }
        }
    }
}
