using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace Automation.Churn.Numerics;

/// <summary>Where a maximum-likelihood fit ended.</summary>
/// <param name="GradientNorm">Euclidean norm of the mean log-likelihood's gradient with respect to the log-parameters.</param>
internal sealed record LikelihoodMaximum(double[] Parameters, double MeanLogLikelihood, double GradientNorm, int Iterations);

/// <summary>
/// Maximises a mean log-likelihood over positive parameters by BFGS on their logarithms (so they stay
/// positive without bounds, and rates and shapes of very different sizes are on one scale). Convergence is
/// judged by the gradient norm at the end, whatever the optimiser reported.
/// </summary>
internal static class MaximumLikelihood
{
    /// <summary>
    /// The mean log-likelihood's gradient norm must end below this. At the CDNOW optimum the
    /// log-likelihood's curvature is about 0.01–1 per customer, so parameters are then within about 1e-4
    /// relative of the exact maximum: well inside the published precision.
    /// </summary>
    public const double GradientTolerance = 1e-6;

    private const int MaxIterations = 1_000;

    /// <param name="meanLogLikelihood">Given parameters, returns the mean log-likelihood per customer and writes its gradient with respect to the parameters.</param>
    public static LikelihoodMaximum Maximise(string model, IReadOnlyList<string> names, double[] start, Func<double[], double[], double> meanLogLikelihood)
    {
        // The optimiser's own state after a failed line search is a trial point; the best point seen is kept here.
        var best = (Value: double.NegativeInfinity, Parameters: start, GradientNorm: double.PositiveInfinity);
        var objective = ObjectiveFunction.Gradient(logParameters =>
        {
            var parameters = logParameters.Select(v => Math.Exp(v)).ToArray();
            var gradient = new double[parameters.Length];
            var value = meanLogLikelihood(parameters, gradient);
            // d/d(log θ) = θ · d/dθ, and the optimiser minimises.
            var logGradient = Vector<double>.Build.Dense(parameters.Length, i => -parameters[i] * gradient[i]);
            if (!double.IsFinite(value) || logGradient.Any(g => !double.IsFinite(g))) return (double.PositiveInfinity, logGradient.Map(_ => 0.0));
            if (value > best.Value) best = (value, parameters, logGradient.L2Norm());
            return (-value, logGradient);
        });

        var initial = Vector<double>.Build.Dense(start.Select(v => Math.Log(v)).ToArray());
        var iterations = 0;
        string? optimiserComplaint = null;
        try
        {
            var result = new BfgsMinimizer(GradientTolerance / 100, 1e-12, 1e-15, MaxIterations).FindMinimum(objective, initial);
            iterations = result.Iterations;
        }
        catch (Exception ex) when (ex is MaximumIterationsException or InnerOptimizationException or ArithmeticException)
        {
            // Near the optimum the line search may fail to improve on rounding noise: the gradient decides.
            optimiserComplaint = ex.Message;
        }

        var (value, point, norm) = best;
        if (!(norm <= GradientTolerance))
        {
            var last = string.Join(", ", names.Select((n, i) => string.Create(CultureInfo.InvariantCulture, $"{n}={point[i]:G6}")));
            var complaint = optimiserComplaint is null ? "" : "; optimiser: " + optimiserComplaint;
            throw new ModelFitException(string.Create(CultureInfo.InvariantCulture,
                $"The {model} fit did not converge: the gradient norm is {norm:G3} where it must fall below {GradientTolerance:G1} ({last} at the best step{complaint}). The data may not determine the parameters, for example when hardly any customer has a repeat purchase or none has lapsed."));
        }

        return new LikelihoodMaximum(point, value, norm, iterations);
    }
}
