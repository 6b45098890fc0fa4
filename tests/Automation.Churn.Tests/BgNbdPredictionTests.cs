using Automation.Churn.BgNbd;
using Automation.Churn.Summaries;
using FluentAssertions;
using Xunit;

namespace Automation.Churn.Tests;

public sealed class BgNbdPredictionTests
{
    private static readonly BgNbdParameters Published = new(0.243, 4.414, 0.793, 2.426);

    /// <summary>
    /// References from the paper's formulas as written (eq. 10 with ₂F₁(r+x, b+x; a+b+x−1; z), eq. 13),
    /// evaluated with mpmath at 50 digits: hyp2f1 and arbitrary-precision powers, no transformation.
    /// The first row is the paper's worked example: E[Y(39) | x=2, t_x=30.43, T=38.86] = 1.226.
    /// </summary>
    [Theory]
    [InlineData(2, 30.43, 38.86, 39, 0.72657857008067291, 1.2260281747671444)]
    [InlineData(0, 0, 38.86, 39, 1.0, 0.19509805201126264)]
    [InlineData(5, 10, 38, 13, 0.027481579663076079, 0.040587579634048138)]
    [InlineData(500, 10000 / 7.0, 10000 / 7.0, 90 / 7.0, 0.99842100756841139, 4.4654368443091224)]
    [InlineData(1, 1 / 7.0, 10000 / 7.0, 520, 0.0023993131403084767, 0.0010089911222260704)]
    [InlineData(0, 0, 1, 5000, 1.0, 11.17281130535446)]
    public void Probability_alive_and_expected_purchases_match_the_formulas_in_high_precision(
        int x, double recency, double age, double weeks, double expectedAlive, double expectedPurchases)
    {
        var customer = new RfmSummary(x, recency, age);

        Published.ProbabilityAlive(customer).Should().BeApproximately(expectedAlive, 1e-12 * expectedAlive);
        Published.ExpectedPurchases(customer, weeks).Should().BeApproximately(expectedPurchases, 1e-10 * expectedPurchases);
    }

    [Fact]
    public void A_customer_with_500_purchases_and_a_10000_day_history_gets_finite_numbers_whether_active_or_long_gone()
    {
        var active = RfmSummary.FromDays(500, 10_000, 10_000);
        var gone = RfmSummary.FromDays(500, 100, 10_000);

        foreach (var customer in new[] { active, gone })
        {
            double[] values =
            [
                Published.ProbabilityAlive(customer),
                Published.ExpectedPurchases(customer, 90 / 7.0),
                Published.ExpectedPurchases(customer, 10_000 / 7.0),
                Published.ProbabilityOfPurchaseWithin(customer, 90 / 7.0),
            ];
            values.Should().OnlyContain(v => double.IsFinite(v) && v >= 0);
        }

        // mpmath: P(alive) = 1.379e-940 for the gone customer, below the smallest double: it is 0, not NaN.
        Published.ProbabilityAlive(gone).Should().Be(0);
        Published.ExpectedPurchases(active, 90 / 7.0).Should().BeApproximately(4.4654368443091224, 1e-9);
    }

    [Fact]
    public void A_one_time_buyer_is_alive_by_construction_and_their_chance_of_a_second_purchase_falls_as_they_stay_away()
    {
        var chances = new[] { 1, 30, 90, 365, 3650 }.Select(days =>
        {
            var oneTime = RfmSummary.FromDays(0, 0, days);
            Published.ProbabilityAlive(oneTime).Should().Be(1);
            return Published.ProbabilityOfPurchaseWithin(oneTime, 90 / 7.0);
        }).ToList();

        chances.Should().BeInDescendingOrder().And.OnlyContain(c => c > 0 && c < 1);
        // Posterior rate Gamma(r, α+T): no purchase in t with probability ((α+T)/(α+T+t))^r.
        chances[2].Should().BeApproximately(1 - Math.Pow((4.414 + 90 / 7.0) / (4.414 + 180 / 7.0), 0.243), 1e-14);
    }

    [Fact]
    public void Expected_purchases_are_continuous_where_a_crosses_1()
    {
        var customer = new RfmSummary(3, 20, 38);
        double At(double a) => (Published with { A = a }).ExpectedPurchases(customer, 52);

        At(1).Should().BeApproximately(At(1 + 1e-9), 1e-8).And.BeApproximately(At(1 - 1e-9), 1e-8);
        double.IsFinite(At(1)).Should().BeTrue();
    }

    [Fact]
    public void The_expected_wait_for_the_next_purchase_is_the_mean_of_the_posterior_rate_and_none_when_that_mean_is_infinite()
    {
        Published.ExpectedWeeksToNextPurchase(new RfmSummary(4, 30, 38)).Should().BeApproximately((4.414 + 38) / (0.243 + 4 - 1), 1e-12);
        Published.ExpectedWeeksToNextPurchase(new RfmSummary(0, 0, 38)).Should().BeNull();
    }
}
