using Automation.Churn.BgNbd;
using Automation.Churn.GammaGamma;
using Automation.Churn.Summaries;
using FluentAssertions;
using Xunit;

namespace Automation.Churn.Tests;

/// <summary>The published results, to their published precision.</summary>
public sealed class CdnowReproductionTests
{
    [Fact]
    public async Task BgNbd_fit_on_CDNOW_gives_the_published_parameters_and_log_likelihood()
    {
        var sample = await Cdnow.SampleAsync();

        var fit = BgNbdFitter.Fit(sample);

        // Fader, Hardie & Lee (2005), p. 279: r = 0.243, α = 4.414, a = 0.793, b = 2.426, LL = −9582.4.
        fit.Parameters.R.Should().BeApproximately(0.243, 0.0005);
        fit.Parameters.Alpha.Should().BeApproximately(4.414, 0.0005);
        fit.Parameters.A.Should().BeApproximately(0.793, 0.0005);
        fit.Parameters.B.Should().BeApproximately(2.426, 0.0005);
        fit.LogLikelihood.Should().BeApproximately(-9582.4, 0.05);
        fit.Customers.Should().Be(2357);
        fit.RepeatCustomers.Should().Be(946);
        fit.GradientNorm.Should().BeLessThan(1e-6);
        // The exact maximum on these files (../shared/data/cdnow/README.md), to show this is the optimum and not a neighbour.
        fit.Parameters.R.Should().BeApproximately(0.24259, 0.00002);
        fit.Parameters.Alpha.Should().BeApproximately(4.41353, 0.0002);
        fit.Parameters.A.Should().BeApproximately(0.79288, 0.00005);
        fit.Parameters.B.Should().BeApproximately(2.42574, 0.0002);
        fit.LogLikelihood.Should().BeApproximately(-9582.4256, 0.0005);
    }

    [Fact]
    public async Task Gamma_gamma_fit_on_CDNOW_repeat_customers_gives_the_published_parameters()
    {
        var sample = await Cdnow.SpendAsync();

        var fit = GammaGammaFitter.Fit(sample);

        // Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value": p = 6.25, q = 3.74, γ = 15.44.
        fit.Parameters.P.Should().BeApproximately(6.25, 0.005);
        fit.Parameters.Q.Should().BeApproximately(3.74, 0.005);
        fit.Parameters.Gamma.Should().BeApproximately(15.44, 0.01);
        fit.Customers.Should().Be(946);
        fit.LogLikelihood.Should().BeApproximately(-4055.923, 0.001);
        fit.Parameters.P.Should().BeApproximately(6.2488, 0.0002);
        fit.Parameters.Q.Should().BeApproximately(3.7446, 0.0002);
        fit.Parameters.Gamma.Should().BeApproximately(15.4478, 0.0005);
    }
}
