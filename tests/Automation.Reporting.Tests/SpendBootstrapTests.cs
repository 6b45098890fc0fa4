using Automation.Reporting.Statistics;
using FluentAssertions;
using Xunit;

namespace Automation.Reporting.Tests;

/// <summary>The revenue interval against a known truth: simulated shops whose spend is as skewed as real spend.</summary>
public sealed class SpendBootstrapTests
{
    /// <summary>
    /// 400 shops of 2,000 customers per group; a share of each group buys, for a log-normal amount (median
    /// 33, mean about 68, a long tail of large orders). The interval of the difference in spend per customer
    /// covers the true difference about 95% of the time, and excludes zero about 2.5% of the time on one
    /// side when the mails do nothing.
    /// </summary>
    [Theory]
    [InlineData(0.06, 0.06)]
    [InlineData(0.08, 0.06)]
    public void Over_many_simulated_shops_the_interval_covers_the_true_difference_in_spend_per_customer(double messagedRate, double heldOutRate)
    {
        const int shops = 400, perGroup = 2000;
        const double mu = 3.5, sigma = 1.2;
        var meanSpend = Math.Exp(mu + sigma * sigma / 2);
        var truth = (messagedRate - heldOutRate) * meanSpend;
        var random = new Random(20261204);
        int covered = 0, aboveZero = 0;
        for (var shop = 0; shop < shops; shop++)
        {
            SpendBootstrap Group(double rate)
            {
                var group = new SpendBootstrap();
                for (var i = 0; i < perGroup; i++)
                {
                    if (random.NextDouble() >= rate) continue;
                    var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                    group.Add(decimal.Round((decimal)Math.Exp(mu + sigma * normal), 2), (ulong)random.NextInt64());
                }

                return group;
            }

            var interval = SpendBootstrap.Difference(Group(messagedRate), perGroup, Group(heldOutRate), perGroup);
            if (!interval.Excludes(truth)) covered++;
            if (interval.Low > 0) aboveZero++;
        }

        ((double)covered / shops).Should().BeInRange(0.92, 0.98);
        if (truth == 0) ((double)aboveZero / shops).Should().BeLessThan(0.05, "mails that do nothing are not credited with revenue beyond chance");
    }

    [Fact]
    public void The_interval_does_not_depend_on_the_order_customers_are_read_in()
    {
        var spends = Enumerable.Range(1, 300).Select(i => (Spend: (decimal)(i * 7 % 113), Key: (ulong)i * 0x9E3779B97F4A7C15UL)).ToList();
        SpendBootstrap Fed(IEnumerable<(decimal Spend, ulong Key)> order)
        {
            var group = new SpendBootstrap();
            foreach (var (spend, key) in order) group.Add(spend, key);
            return group;
        }

        var heldOut = Fed(spends.Take(100));
        var forward = SpendBootstrap.Difference(Fed(spends), 3000, heldOut, 3000);
        var backward = SpendBootstrap.Difference(Fed(Enumerable.Reverse(spends)), 3000, heldOut, 3000);
        var inTwoParts = Fed(spends.Skip(150));
        inTwoParts.Add(Fed(spends.Take(150)));
        var merged = SpendBootstrap.Difference(inTwoParts, 3000, heldOut, 3000);

        backward.Should().Be(forward);
        merged.Low.Should().BeApproximately(forward.Low, 1e-9);
        merged.High.Should().BeApproximately(forward.High, 1e-9);
        forward.Estimate.Should().BeApproximately(((double)spends.Sum(s => s.Spend) - (double)spends.Take(100).Sum(s => s.Spend)) / 3000, 1e-9);
        forward.Low.Should().BeLessThan(forward.Estimate);
        forward.High.Should().BeGreaterThan(forward.Estimate);
    }
}
