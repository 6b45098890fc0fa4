using Automation.Churn.BgNbd;
using Automation.Churn.GammaGamma;
using Automation.Churn.Summaries;
using Automation.SyntheticData;
using FluentAssertions;
using MathNet.Numerics.LinearAlgebra;
using Xunit;
using Xunit.Abstractions;

namespace Automation.Churn.Tests;

public sealed class FittingTests(ITestOutputHelper output)
{
    /// <summary>
    /// 50,000 customers drawn from the CDNOW parameters, observed 27–39 weeks. The tolerance is statistical:
    /// each fitted log-parameter must lie within 4 standard errors of the truth, the errors from the inverse
    /// of the observed information (the Hessian of the log-likelihood, by central differences of the
    /// analytic gradient). Four standard errors fail by chance about once in 16,000 draws per parameter;
    /// the seed is fixed, so the test is also reproducible. The standard errors are asserted to be small
    /// (under 15% relative) so the check cannot pass on a vague estimate.
    /// </summary>
    [Fact]
    public void Fitting_50000_simulated_customers_recovers_the_parameters_they_were_drawn_from()
    {
        var truth = BuyTillYouDieTruth.Cdnow;
        var customers = BuyTillYouDieCustomers.Simulate(truth, 50_000, (27, 39), seed: 7).ToList();
        var sample = new RfmSample();
        var spend = new SpendSample();
        foreach (var c in customers)
        {
            sample.Add(new RfmSummary(c.Frequency, c.Recency, c.Age));
            if (c.MeanRepeatSpend is { } mean) spend.Add(c.Frequency, mean);
        }

        var fit = BgNbdFitter.Fit(sample);
        var likelihood = new BgNbdLikelihood(sample.ToColumns());
        var fitted = new[] { fit.Parameters.R, fit.Parameters.Alpha, fit.Parameters.A, fit.Parameters.B };
        var errors = LogParameterStandardErrors(likelihood.Mean, fitted, sample.Customers);
        double[] expected = [truth.R, truth.Alpha, truth.A, truth.B];
        for (var i = 0; i < 4; i++)
        {
            output.WriteLine($"BG/NBD parameter {i}: truth {expected[i]}, fitted {fitted[i]:G5}, SE(log) {errors[i]:G3}");
            errors[i].Should().BeLessThan(0.15);
            Math.Abs(Math.Log(fitted[i]) - Math.Log(expected[i])).Should().BeLessThan(4 * errors[i], $"parameter {i} of r, α, a, b");
        }

        var spendFit = GammaGammaFitter.Fit(spend);
        output.WriteLine($"Gamma-Gamma on {spend.Customers} repeat customers: {spendFit.Parameters}");
        // Gamma-Gamma's p, q and γ are strongly correlated, but the mean spend it implies is well determined.
        spendFit.Parameters.PopulationMeanSpend!.Value.Should().BeApproximately(truth.P * truth.Gamma / (truth.Q - 1), 0.05 * truth.P * truth.Gamma / (truth.Q - 1));
    }

    [Fact]
    public void The_analytic_gradient_agrees_with_finite_differences()
    {
        var sample = new RfmSample();
        foreach (var c in BuyTillYouDieCustomers.Simulate(BuyTillYouDieTruth.Cdnow, 2_000, (1, 200), seed: 3)) sample.Add(new RfmSummary(c.Frequency, c.Recency, c.Age));
        sample.Add(RfmSummary.FromDays(500, 9_000, 10_000));
        var likelihood = new BgNbdLikelihood(sample.ToColumns());
        double[] at = [0.5, 7, 1.3, 3.1];
        var gradient = new double[4];
        likelihood.Mean(at, gradient);

        for (var i = 0; i < 4; i++)
        {
            var step = 1e-6 * at[i];
            var (up, down) = ((double[])at.Clone(), (double[])at.Clone());
            up[i] += step;
            down[i] -= step;
            var numeric = (likelihood.Mean(up, new double[4]) - likelihood.Mean(down, new double[4])) / (2 * step);
            gradient[i].Should().BeApproximately(numeric, 1e-6 * Math.Max(1, Math.Abs(numeric)));
        }
    }

    [Fact]
    public void Customers_with_hundreds_of_purchases_and_decades_of_history_fit_without_overflow()
    {
        var sample = new RfmSample();
        foreach (var c in BuyTillYouDieCustomers.Simulate(BuyTillYouDieTruth.Cdnow, 5_000, (27, 39), seed: 11)) sample.Add(new RfmSummary(c.Frequency, c.Recency, c.Age));
        sample.Add(RfmSummary.FromDays(500, 10_000, 10_000));
        sample.Add(RfmSummary.FromDays(500, 100, 10_000));
        sample.Add(RfmSummary.FromDays(0, 0, 10_000));

        var fit = BgNbdFitter.Fit(sample);

        double.IsFinite(fit.LogLikelihood).Should().BeTrue();
        fit.GradientNorm.Should().BeLessThan(1e-6);
    }

    [Fact]
    public void Without_repeat_customers_the_fit_refuses_with_a_sentence()
    {
        var sample = new RfmSample();
        sample.Add(new RfmSummary(0, 0, 10), count: 40);

        var fit = () => BgNbdFitter.Fit(sample);

        fit.Should().Throw<ModelFitException>().WithMessage("The BG/NBD fit needs customers with a repeat purchase; none of the 40 customers has one.");
    }

    [Fact]
    public void When_the_data_cannot_determine_the_parameters_the_fit_says_it_did_not_converge_and_why()
    {
        // Everyone buys every week right up to today: nobody has ever dropped out, so the drop-out
        // probability's Beta(a, b) runs off to a → 0 and there is no maximum to find.
        var sample = new RfmSample();
        for (var weeks = 10; weeks <= 40; weeks++) sample.Add(new RfmSummary(weeks, weeks, weeks), count: 10);

        var fit = () => BgNbdFitter.Fit(sample);

        fit.Should().Throw<ModelFitException>()
            .Which.Message.Should().StartWith("The BG/NBD fit did not converge: the gradient norm is ")
            .And.Contain("must fall below 1E-06").And.Contain("r=").And.Contain("The data may not determine the parameters");
    }

    /// <summary>Standard errors of the log-parameters: sqrt of the diagonal of (−N · H)⁻¹, H the Hessian of the mean log-likelihood in log space.</summary>
    private static double[] LogParameterStandardErrors(Func<double[], double[], double> meanLogLikelihood, double[] at, long customers)
    {
        var n = at.Length;
        double[] LogGradient(double[] logPoint)
        {
            var point = logPoint.Select(v => Math.Exp(v)).ToArray();
            var gradient = new double[n];
            meanLogLikelihood(point, gradient);
            return gradient.Select((g, i) => g * point[i]).ToArray();
        }

        var center = at.Select(v => Math.Log(v)).ToArray();
        var hessian = Matrix<double>.Build.Dense(n, n);
        const double step = 1e-4;
        for (var j = 0; j < n; j++)
        {
            var (up, down) = ((double[])center.Clone(), (double[])center.Clone());
            up[j] += step;
            down[j] -= step;
            var (gUp, gDown) = (LogGradient(up), LogGradient(down));
            for (var i = 0; i < n; i++) hessian[i, j] = (gUp[i] - gDown[i]) / (2 * step);
        }

        var covariance = (-(hessian + hessian.Transpose()) / 2 * customers).Inverse();
        return Enumerable.Range(0, n).Select(i => Math.Sqrt(covariance[i, i])).ToArray();
    }
}
