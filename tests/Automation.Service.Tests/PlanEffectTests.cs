using Automation.MarketerConsole.Settings;
using Automation.Planning.Days;
using FluentAssertions;
using Xunit;

namespace Automation.Service.Tests;

/// <summary>A settings change's effect on a plan, from the plan as it is and the plan with the change.</summary>
public sealed class PlanEffectTests
{
    private static PlanRecord Plan(params PlanCount[] counts) => PlanRecord.From(counts, []);

    [Fact]
    public void Mails_gained_and_lost_per_trigger_and_suppressions_per_reason_add_up_over_locales()
    {
        var before = Plan(
            new PlanCount("birthday", "en", "planned", null, 100), new PlanCount("birthday", "it", "planned", null, 12),
            new PlanCount("churn_risk", "en", "planned", null, 40), new PlanCount("churn_risk", "en", "suppressed", "frequency_cap", 3),
            new PlanCount("pollen", "en", "suppressed", "no_opt_in", 7));
        var after = Plan(
            new PlanCount("birthday", "en", "planned", null, 300), new PlanCount("birthday", "it", "planned", null, 124),
            new PlanCount("churn_risk", "en", "suppressed", "frequency_cap", 15), new PlanCount("churn_risk", "en", "held_out", null, 2),
            new PlanCount("pollen", "en", "suppressed", "no_opt_in", 7));

        var effect = PlanEffect.Between(before, after);

        effect.Sentence().Should().Be("adds 312 birthday mails, removes 40 churn risk mails; 2 more held out of churn risk; 12 more suppressed by frequency_cap");
        effect.Suppressed.Should().ContainSingle(row => row.Name == "no_opt_in").Which.Change.Should().Be(0);
        effect.Planned.Single(row => row.Name == "churn_risk").Should().Be(new PlanEffectRow("churn_risk", 40, 0));
    }

    [Fact]
    public void The_same_plan_is_no_change_and_one_mail_is_a_mail()
    {
        var plan = Plan(new PlanCount("birthday", "en", "planned", null, 5));
        PlanEffect.Between(plan, plan).Changes.Should().BeFalse();
        PlanEffect.Between(plan, plan).Sentence().Should().Be("no change to the plan");
        PlanEffect.Between(plan, Plan(new PlanCount("birthday", "en", "planned", null, 4), new PlanCount("birthday", "en", "suppressed", "cooldown", 1))).Sentence()
            .Should().Be("removes 1 birthday mail; 1 more suppressed by cooldown");
    }
}
