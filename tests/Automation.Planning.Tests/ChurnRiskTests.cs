using Automation.Planning.Messages;
using Automation.Planning.Policies;
using Automation.Testing;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Planning.Tests;

public sealed class ChurnRiskTests
{
    private static readonly LocalDate Today = new(2026, 11, 22);
    private readonly Planner _planner = new(("Automation:Triggers:ChurnRisk:LapseMultiple", "4"));

    [Fact]
    public void Fires_when_the_lapse_exceeds_the_multiple_of_the_customers_own_interval_and_says_the_numbers()
    {
        var lapsed = TestProfiles.Customer().WithRhythm(Today.PlusDays(-142), interval: 35, count: 5);
        var fine = TestProfiles.Customer("C2").WithRhythm(Today.PlusDays(-139), interval: 35, count: 5);

        var decision = _planner.Plan(lapsed, Today).Should().ContainSingle().Subject;
        _planner.Plan(fine, Today).Should().BeEmpty("139 days is less than 4 x 35");

        decision.Candidate.Reason.Should().StartWith("last purchase 142 days ago; usual interval 35 days");
        decision.Candidate.Data["days_since_last_purchase"].Should().Be("142");
        decision.Candidate.Data["usual_interval_days"].Should().Be("35");
    }

    [Fact]
    public void Needs_the_configured_number_of_purchase_days()
    {
        var planner = new Planner(("Automation:Triggers:ChurnRisk:MinPurchaseDays", "4"));

        planner.Plan(TestProfiles.Customer().WithRhythm(Today.PlusDays(-300), 10, 3), Today).Should().BeEmpty();
        planner.Plan(TestProfiles.Customer().WithRhythm(Today.PlusDays(-300), 10, 4), Today).Should().ContainSingle();
    }

    [Fact]
    public void Fires_once_per_lapse_episode_and_a_new_purchase_starts_a_new_one()
    {
        var profile = TestProfiles.Customer().WithRhythm(Today.PlusDays(-200), interval: 20, count: 6);
        var first = _planner.Plan(profile, Today).Single();
        var record = new MessageHistoryEntry(first.MessageId, "churn_risk", "churn_risk", Today, MessageStatus.Sent, null);

        _planner.Plan(profile, Today.PlusDays(1), record).Single().Outcome.Should().Be(DecisionOutcome.AlreadyPlanned);
        _planner.Plan(profile, Today.PlusDays(90), record).Single().Outcome.Should().Be(DecisionOutcome.AlreadyPlanned);

        profile.WithPurchaseDays(Today.PlusDays(5));
        var nextEpisode = _planner.Plan(profile, Today.PlusDays(200), record).Single();
        nextEpisode.MessageId.Should().NotBe(first.MessageId);
        nextEpisode.Outcome.Should().Be(DecisionOutcome.Planned);
    }

    [Fact]
    public void The_cooldown_keeps_episodes_messages_apart()
    {
        var profile = TestProfiles.Customer().WithRhythm(Today.PlusDays(-100), interval: 5, count: 6);
        var earlierEpisode = Planner.Sent("churn_risk", Today.PlusDays(-30));

        var decision = _planner.Plan(profile, Today, earlierEpisode).Single();

        decision.ReasonCode.Should().Be(ReasonCodes.Cooldown);
        decision.Detail.Should().Contain("cooldown 60 days");
        _planner.Plan(profile, Today, Planner.Sent("churn_risk", Today.PlusDays(-61))).Single().Outcome.Should().Be(DecisionOutcome.Planned);
    }

    [Fact]
    public void Purchases_after_the_planning_day_are_not_counted()
    {
        var profile = TestProfiles.Customer().WithRhythm(Today.PlusDays(-100), interval: 10, count: 5).WithPurchaseDays(Today.PlusDays(3));

        _planner.Plan(profile, Today).Should().ContainSingle().Which.Candidate.Data["days_since_last_purchase"].Should().Be("100");
    }
}
