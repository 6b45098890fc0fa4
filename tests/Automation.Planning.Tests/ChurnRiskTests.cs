using System.Globalization;
using Automation.Churn;
using Automation.Churn.BgNbd;
using Automation.Churn.GammaGamma;
using Automation.Messages;
using Automation.Planning.Policies;
using Automation.Planning.Triggers;
using Automation.Profiles.Model;
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
        var record = new MessageHistoryEntry(first.MessageId, new TriggerName("churn_risk"), "churn_risk", Today, MessageStatus.Sent, null);

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

/// <summary>The churn trigger on a saved BG/NBD + Gamma-Gamma model (the published CDNOW parameters).</summary>
public sealed class BuyTillYouDieChurnRiskTests
{
    private static readonly LocalDate Today = new(2026, 11, 22);

    private static readonly ChurnModel Cdnow = new(
        Instant.FromUtc(2026, 11, 20, 3, 0), new LocalDate(2026, 11, 20),
        new BgNbdFit(new BgNbdParameters(0.243, 4.414, 0.793, 2.426), -9582.4, 1e-8, 2357, 946, 20),
        new GammaGammaFit(new GammaGammaParameters(6.25, 3.74, 15.44), -4055.9, 1e-8, 946, 18),
        "EUR", null);

    private readonly Planner _planner = new() { ChurnModel = Cdnow };

    [Fact]
    public void A_repeat_customer_whose_P_alive_fell_below_the_threshold_gets_a_reason_with_P_alive_expected_purchases_and_value()
    {
        // 5 purchase days 35 days apart, the last 300 days ago: x = 4, t_x = 20 weeks, T = 62.9 weeks.
        var lapsed = WithSpend(TestProfiles.Customer().WithRhythm(Today.PlusDays(-300), interval: 35, count: 5), gross: 250m, firstDay: 50m);

        var candidate = _planner.Plan(lapsed, Today).Should().ContainSingle().Subject.Candidate;

        var pAlive = double.Parse(candidate.Data["p_alive"], CultureInfo.InvariantCulture);
        // 1 / (1 + a/(b+x−1) · ((α+T)/(α+t_x))^(r+x)) by hand: 0.0850.
        pAlive.Should().BeApproximately(0.085, 0.001);
        candidate.Reason.Should().StartWith("P(alive) 0.08, at risk below 0.50; expected purchases in the next 90 days 0.")
            .And.Contain("predicted value " + candidate.Data["predicted_value"] + " EUR over 365 days")
            .And.Contain("5 purchase days, last purchase 300 days ago; BG/NBD fitted 2026-11-20 on 2,357 customers");
        candidate.Data["churn_model"].Should().Be("bgnbd");
        candidate.Data["predicted_value_currency"].Should().Be("EUR");
        // Own mean 50 EUR over 4 repeat days, shrunk toward the population mean pγ/(q−1) = 35.8: (γ + 4·50)·p/(4p + q − 1).
        candidate.Data["expected_average_spend"].Should().Be(((15.44 + 200) * 6.25 / (25 + 2.74)).ToString("0.00", CultureInfo.InvariantCulture));
        candidate.OccasionKey.Should().Be("lapse-after-" + Today.PlusDays(-300).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void An_active_repeat_customer_is_not_at_risk_and_explain_says_why()
    {
        var active = TestProfiles.Customer().WithRhythm(Today.PlusDays(-10), interval: 35, count: 5);
        var trigger = new ChurnRiskTrigger(_planner.Settings.ChurnRisk);

        _planner.Plan(active, Today).Should().BeEmpty();
        trigger.ExplainSilence(active, _planner.Context, Today).Should().StartWith("not at risk: P(alive) 0.84, at risk below 0.50");
    }

    /// <summary>
    /// A model whose numbers fail (here α is NaN, as a broken fit would leave it) stops no plan: the
    /// churn candidate alone is dropped, explain says why, and the same customer's birthday still goes.
    /// </summary>
    [Fact]
    public void A_numeric_failure_drops_only_the_churn_candidate_with_a_reason_explain_shows()
    {
        var broken = Cdnow with { Purchases = Cdnow.Purchases with { Parameters = Cdnow.Purchases.Parameters with { Alpha = double.NaN } } };
        var planner = new Planner { ChurnModel = broken };
        var lapsed = TestProfiles.Customer().WithRhythm(Today.PlusDays(-300), interval: 35, count: 5);
        lapsed.BirthDate = new LocalDate(1990, Today.Month, Today.Day);
        var trigger = new ChurnRiskTrigger(planner.Settings.ChurnRisk);

        var decisions = planner.Plan(lapsed, Today);

        decisions.Should().ContainSingle().Which.Candidate.Trigger.Should().Be("birthday");
        trigger.ExplainSilence(lapsed, planner.Context, Today).Should()
            .StartWith("no verdict: the churn model could not compute this customer's outlook (")
            .And.EndWith("); no churn-risk message is planned");
    }

    [Fact]
    public void A_one_time_buyer_is_at_risk_once_their_chance_of_a_second_purchase_in_90_days_falls_below_10_percent()
    {
        // ((α+T)/(α+T+90/7))^r = 0.9 at T = 19.3 weeks = 135 days.
        var recent = TestProfiles.Customer().WithPurchaseDays(Today.PlusDays(-130));
        var lapsed = TestProfiles.Customer().WithPurchaseDays(Today.PlusDays(-140));

        _planner.Plan(recent, Today).Should().BeEmpty();
        var candidate = _planner.Plan(lapsed, Today).Should().ContainSingle().Subject.Candidate;
        candidate.Reason.Should().StartWith("one-time buyer, last purchase 140 days ago (P(alive) is 1 until a repeat purchase); chance of a second purchase in the next 90 days 9.")
            .And.Contain("at risk below 10%");
        candidate.Data["p_alive"].Should().Be("1");
    }

    [Fact]
    public void A_customer_without_spend_in_the_models_currency_gets_no_predicted_value_and_the_reason_says_so()
    {
        var lapsed = WithSpend(TestProfiles.Customer().WithRhythm(Today.PlusDays(-300), interval: 35, count: 5), gross: 25000m, firstDay: 5000m, currency: "JPY");

        var candidate = _planner.Plan(lapsed, Today).Single().Candidate;

        candidate.Data.Should().NotContainKey("predicted_value");
        candidate.Reason.Should().Contain("no predicted value (the customer's purchases are not all in EUR)");
    }

    [Fact]
    public void Below_the_minimum_of_repeat_customers_the_interval_rule_decides_and_says_so()
    {
        var planner = new Planner(("Automation:Triggers:ChurnRisk:MinRepeatCustomers", "1000")) { ChurnModel = Cdnow };
        var lapsed = TestProfiles.Customer().WithRhythm(Today.PlusDays(-142), interval: 35, count: 5);

        var candidate = planner.Plan(lapsed, Today).Single().Candidate;

        candidate.Reason.Should().EndWith("(interval rule, because the churn model fitted 2026-11-20 saw 946 customers with a repeat purchase, fewer than the 1,000 it needs)");
        candidate.Data["churn_model"].Should().Be("interval");
        new Planner().Plan(lapsed, Today).Single().Candidate.Reason.Should().EndWith("(interval rule, because no churn model has been fitted yet)");
    }

    [Fact]
    public void The_model_fires_once_per_lapse_episode()
    {
        var profile = TestProfiles.Customer().WithRhythm(Today.PlusDays(-300), interval: 35, count: 5);
        var first = _planner.Plan(profile, Today).Single();
        var record = new MessageHistoryEntry(first.MessageId, new TriggerName("churn_risk"), "churn_risk", Today, MessageStatus.Sent, null);

        _planner.Plan(profile, Today.PlusDays(30), record).Single().Outcome.Should().Be(DecisionOutcome.AlreadyPlanned);
    }

    private static CustomerProfile WithSpend(CustomerProfile profile, decimal gross, decimal firstDay, string currency = "EUR")
    {
        profile.Purchases.SpendByCurrency[currency] = new CurrencySpend { Orders = profile.Purchases.PurchaseDays.Count, Gross = gross, FirstDayGross = firstDay };
        return profile;
    }
}
