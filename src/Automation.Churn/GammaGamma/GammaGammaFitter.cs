using Automation.Churn.Numerics;
using MathNet.Numerics;

namespace Automation.Churn.GammaGamma;

/// <param name="LogLikelihood">Total log-likelihood at the fitted parameters (CDNOW, 946 repeat customers: −4055.9).</param>
public sealed record GammaGammaFit(GammaGammaParameters Parameters, double LogLikelihood, double GradientNorm, long Customers, int Iterations);

/// <summary>Maximum-likelihood fit of the Gamma-Gamma spend model on repeat customers' (x, z̄).</summary>
public static class GammaGammaFitter
{
    private static readonly string[] Names = ["p", "q", "gamma"];

    /// <exception cref="ModelFitException">No repeat customer, or the fit does not converge.</exception>
    public static GammaGammaFit Fit(SpendSample sample)
    {
        if (sample.Customers == 0) throw new ModelFitException("The Gamma-Gamma fit needs customers with a repeat purchase and its value; there are none.");
        var (frequency, meanSpend, count) = sample.ToColumns();
        var distinctX = frequency.Distinct().Order().ToArray();
        var xIndex = frequency.Select(x => Array.BinarySearch(distinctX, x)).ToArray();
        var logMean = meanSpend.Select(m => Math.Log(m)).ToArray();
        var customers = count.Sum();
        var averageSpend = meanSpend.Select((m, i) => m * count[i]).Sum() / customers;

        double Mean(double[] parameters, double[] gradient)
        {
            var (p, q, gamma) = (parameters[0], parameters[1], parameters[2]);
            var perX = distinctX.Select(x => (
                LogGammaRatio: SpecialFunctions.GammaLn(p * x + q) - SpecialFunctions.GammaLn(p * x),
                PsiDifference: SpecialFunctions.DiGamma(p * x + q) - SpecialFunctions.DiGamma(p * x),
                PsiSum: SpecialFunctions.DiGamma(p * x + q),
                LogX: Math.Log(x))).ToArray();
            var (lgQ, psiQ, logGamma) = (SpecialFunctions.GammaLn(q), SpecialFunctions.DiGamma(q), Math.Log(gamma));
            double ll = 0, dp = 0, dq = 0, dGamma = 0;
            for (var i = 0; i < frequency.Length; i++)
            {
                var (x, m, w, terms) = (frequency[i], meanSpend[i], count[i], perX[xIndex[i]]);
                var px = p * x;
                var logTotal = Math.Log(gamma + m * x);
                ll += w * (terms.LogGammaRatio - lgQ + q * logGamma + (px - 1) * logMean[i] + px * terms.LogX - (px + q) * logTotal);
                dp += w * x * (terms.PsiDifference + logMean[i] + terms.LogX - logTotal);
                dq += w * (terms.PsiSum - psiQ + logGamma - logTotal);
                dGamma += w * (q / gamma - (px + q) / (gamma + m * x));
            }

            (gradient[0], gradient[1], gradient[2]) = (dp / customers, dq / customers, dGamma / customers);
            return ll / customers;
        }

        // p = 1, q = 2 puts the population mean pγ/(q−1) at γ: start it at the observed mean.
        var maximum = MaximumLikelihood.Maximise("Gamma-Gamma", Names, [1.0, 2.0, averageSpend], Mean);
        var fitted = maximum.Parameters;
        return new GammaGammaFit(new GammaGammaParameters(fitted[0], fitted[1], fitted[2]), maximum.MeanLogLikelihood * customers, maximum.GradientNorm, sample.Customers, maximum.Iterations);
    }
}
