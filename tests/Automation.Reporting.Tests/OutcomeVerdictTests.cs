using Automation.Reporting.Outcomes;
using FluentAssertions;
using Xunit;

namespace Automation.Reporting.Tests;

/// <summary>The sentence says no more than the interval supports.</summary>
public sealed class OutcomeVerdictTests
{
    [Fact]
    public void A_lift_the_interval_supports_is_stated_with_its_interval_and_size()
    {
        OutcomeVerdict.For("birthday", 6200, 372, 6200, 254, 14).Should().Be(
            "Birthday mails raised the 14-day purchase rate from 4.1% to 6.0% (+1.9 points, 95% interval +1.1 to +2.7) over 12,400 customers.");
    }

    [Fact]
    public void A_small_shop_hears_how_many_more_customers_it_needs_not_a_verdict()
    {
        var verdict = OutcomeVerdict.For("churn_risk", 300, 21, 300, 15, 14);

        verdict.Should().StartWith("Not enough data yet: about ").And.Contain("more customers per group are needed to detect a 1-point lift")
            .And.Contain("from 5.0% to 7.0%");
    }

    [Fact]
    public void With_enough_customers_and_no_lift_it_says_none_was_seen()
    {
        OutcomeVerdict.For("pollen", 40_000, 2000, 40_000, 2010, 14).Should().StartWith("No effect seen: the 14-day purchase rate went from 5.0% to 5.0%");
    }

    [Fact]
    public void Without_a_holdout_it_asks_for_one()
    {
        OutcomeVerdict.For("birthday", 500, 40, 0, 0, 14).Should().StartWith("No held-out customers: set a HoldoutPercent for birthday");
    }
}
