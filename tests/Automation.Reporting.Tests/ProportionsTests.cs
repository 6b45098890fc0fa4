using Automation.Reporting.Outcomes;
using Automation.Reporting.Statistics;
using FluentAssertions;
using Xunit;

namespace Automation.Reporting.Tests;

/// <summary>The intervals against published values, and against a known truth over many simulated shops.</summary>
public sealed class ProportionsTests
{
    [Theory]
    // Newcombe (1998), Statistics in Medicine 17:873-890, table II, method 10.
    [InlineData(56, 70, 48, 80, 0.0524, 0.3339)]
    [InlineData(9, 10, 3, 10, 0.1705, 0.8090)]
    public void The_difference_interval_is_Newcombes_hybrid_score_interval(int x1, int n1, int x2, int n2, double low, double high)
    {
        var interval = Proportions.Difference(x1, n1, x2, n2);

        interval.Low.Should().BeApproximately(low, 0.0006);
        interval.High.Should().BeApproximately(high, 0.0006);
    }

    [Fact]
    public void Wilsons_interval_stays_inside_zero_and_one_where_the_textbook_one_does_not()
    {
        var none = Proportions.Wilson(0, 10);
        none.Low.Should().Be(0);
        none.High.Should().BeApproximately(0.2775, 0.0005);
        var all = Proportions.Wilson(10, 10);
        all.High.Should().BeApproximately(1.0, 1e-12);
        all.Low.Should().BeApproximately(0.7225, 0.0005);
    }

    [Fact]
    public void The_sample_size_to_see_one_point_over_five_percent_is_the_textbook_one()
    {
        Proportions.SampleSizePerGroup(0.05, 0.01).Should().Be(8158);
    }

    /// <summary>
    /// Shops of 3,000 customers per group with a known truth, 1,000 of each: the interval covers the
    /// true difference about 95% of the time, a trigger that does nothing is called a win about as often
    /// as chance allows one side of a 95% interval (2.5%), and a 2-point lift is found most of the time.
    /// </summary>
    [Theory]
    [InlineData(0.05, 0.00)]
    [InlineData(0.05, 0.02)]
    [InlineData(0.20, 0.03)]
    public void Over_many_simulated_shops_the_interval_covers_the_true_lift_about_95_percent_of_the_time(double baseRate, double lift)
    {
        const int shops = 1000, perGroup = 3000;
        int covered = 0, calledWins = 0;
        // One generator for every shop: one seeded per shop with 0, 1, 2… gave 4.0% wins where the exact rate is 2.5%.
        var random = new Random(20261204);
        for (var shop = 0; shop < shops; shop++)
        {
            long Buyers(double rate) => Enumerable.Range(0, perGroup).LongCount(_ => random.NextDouble() < rate);
            var messaged = Buyers(baseRate + lift);
            var heldOut = Buyers(baseRate);
            var interval = Proportions.Difference(messaged, perGroup, heldOut, perGroup);
            if (!interval.Excludes(lift)) covered++;
            if (OutcomeVerdict.For("birthday", perGroup, messaged, perGroup, heldOut, 14).StartsWith("Birthday mails raised", StringComparison.Ordinal)) calledWins++;
        }

        ((double)covered / shops).Should().BeInRange(0.93, 0.97);
        if (lift == 0) ((double)calledWins / shops).Should().BeLessThan(0.04, "a trigger that does nothing is not called a win beyond chance");
        else ((double)calledWins / shops).Should().BeGreaterThan(0.6);
    }
}
