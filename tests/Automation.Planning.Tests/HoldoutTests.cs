using Automation.Profiles.Identifiers;
using Automation.Profiles.Model;
using Automation.Messages;
using Automation.Planning.Policies;
using Automation.Testing;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Planning.Tests;

public sealed class HoldoutTests
{
    private const int Customers = 100_000;

    [Fact]
    public void The_holdout_share_is_the_configured_percentage_within_statistical_tolerance()
    {
        var heldOut = Enumerable.Range(0, Customers).Count(i => Holdout.IsHeldOut("salt-1", new TriggerName("birthday"), new CustomerId($"C{i:D7}"), 10));

        // Binomial(100,000, 0.1): standard deviation sqrt(n p (1 - p)) ≈ 95; five of them is a one-in-a-million miss.
        heldOut.Should().BeInRange(10_000 - 475, 10_000 + 475);
    }

    [Fact]
    public void The_draw_is_deterministic_per_customer_and_trigger_and_changes_with_the_salt()
    {
        var ids = Enumerable.Range(0, 20_000).Select(i => $"C{i:D7}").ToList();
        var first = ids.Where(id => Holdout.IsHeldOut("salt-1", new TriggerName("birthday"), new CustomerId(id), 10)).ToList();
        var again = ids.Where(id => Holdout.IsHeldOut("salt-1", new TriggerName("birthday"), new CustomerId(id), 10)).ToList();
        var otherTrigger = ids.Where(id => Holdout.IsHeldOut("salt-1", new TriggerName("churn_risk"), new CustomerId(id), 10)).ToList();
        var otherSalt = ids.Where(id => Holdout.IsHeldOut("salt-2", new TriggerName("birthday"), new CustomerId(id), 10)).ToList();

        again.Should().Equal(first);
        otherTrigger.Intersect(first).Count().Should().BeInRange(100, 300, "independent 10% draws overlap in about 1% of customers");
        otherSalt.Intersect(first).Count().Should().BeInRange(100, 300);
        ids.Where(id => Holdout.IsHeldOut("salt-1", new TriggerName("birthday"), new CustomerId(id), 0)).Should().BeEmpty();
    }

    [Fact]
    public void Held_out_customers_are_recorded_with_the_reason_instead_of_being_sent()
    {
        var planner = new Planner(("Automation:Triggers:Birthday:HoldoutPercent", "30"));
        var day = new LocalDate(2026, 6, 15);

        var decisions = Enumerable.Range(0, 1_000)
            .Select(i => planner.Plan(TestProfiles.Customer($"C{i}", born: new LocalDate(1990, 6, 15)), day).Single())
            .ToList();

        var held = decisions.Where(d => d.Outcome == DecisionOutcome.HeldOut).ToList();
        held.Count.Should().BeInRange(240, 360);
        held.Should().OnlyContain(d => d.ReasonCode == ReasonCodes.Holdout && d.ShouldRecord && d.SendAt != null);
        decisions.Except(held).Should().OnlyContain(d => d.Outcome == DecisionOutcome.Planned);
    }
}
