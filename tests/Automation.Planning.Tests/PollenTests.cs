using Automation.Planning.Context;
using Automation.Planning.Policies;
using Automation.Planning.Triggers;
using Automation.Profiles.Model;
using Automation.Testing;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Planning.Tests;

public sealed class PollenTests
{
    private static readonly LocalDate Today = new(2027, 5, 14);
    private static readonly (string, string)[] Enabled =
    [
        ("Automation:Triggers:Pollen:Enabled", "true"),
        ("Automation:Triggers:Pollen:Thresholds:grass", "50"),
        ("Automation:Triggers:Pollen:Thresholds:birch", "100"),
    ];

    private static Planner PlannerWith(double grass, double birch = 0, params (string, string)[] extra) =>
        PlannerWith(new AreaForecast("IT-MI", "Milano", Today.PlusDays(1), new Dictionary<string, double> { ["grass"] = grass, ["birch"] = birch }), extra);

    private static Planner PlannerWith(AreaForecast forecast, params (string, string)[] extra)
    {
        var planner = new Planner([.. Enabled, .. extra]);
        planner.Context = planner.Context with { Pollen = new PollenForecasts(Today.PlusDays(1), new Dictionary<string, AreaForecast> { [forecast.AreaId] = forecast }, new MilanoOnly()) };
        return planner;
    }

    /// <summary>The forecast source's part: which area a customer is in. Here: Milano, by city.</summary>
    private sealed class MilanoOnly : ICustomerAreas
    {
        public string? AreaOf(CustomerProfile profile) => string.Equals(profile.City, "milano", StringComparison.OrdinalIgnoreCase) ? "IT-MI" : null;

        public string WhyNoArea(CustomerProfile profile) => "not in Milano";
    }

    private static CustomerProfile InMilano(string id = "C1")
    {
        var profile = TestProfiles.Customer(id);
        profile.Country = "IT";
        profile.City = "milano";
        return profile;
    }

    [Fact]
    public void Fires_at_or_above_the_threshold_of_tomorrows_forecast_in_the_customers_area()
    {
        var decision = PlannerWith(grass: 50).Plan(InMilano(), Today).Should().ContainSingle().Subject;
        PlannerWith(grass: 49.9).Plan(InMilano(), Today).Should().BeEmpty();

        decision.Candidate.OccasionKey.Should().Be("grass:2027-05-15");
        decision.Candidate.Reason.Should().Be("grass pollen forecast 50 grains/m³ in Milano on 2027-05-15 (threshold 50)");
        decision.Candidate.UsesPurchaseInference.Should().BeFalse();
    }

    [Fact]
    public void A_forecast_that_failed_or_had_no_data_never_fires_and_says_why()
    {
        var failed = AreaForecast.WithoutLevels("IT-MI", Today.PlusDays(1), "Open-Meteo: no answer within 10 s (3 attempt(s))");
        var planner = PlannerWith(failed);
        var trigger = new PollenTrigger(planner.Settings.Pollen);

        planner.Plan(InMilano(), Today).Should().BeEmpty();
        trigger.ExplainSilence(InMilano(), planner.Context, Today).Should()
            .Be("no pollen forecast for IT-MI on 2027-05-15: Open-Meteo: no answer within 10 s (3 attempt(s))");
        trigger.ExplainSilence(TestProfiles.Customer("C2"), planner.Context, Today).Should().Be("no forecast area: not in Milano");
    }

    [Fact]
    public void Grid_areas_have_no_name_so_the_message_names_the_customers_city()
    {
        var planner = PlannerWith(new AreaForecast("IT-MI", null, Today.PlusDays(1), new Dictionary<string, double> { ["grass"] = 80 }));
        var customer = InMilano();
        customer.City = "Milano";

        var decision = planner.Plan(customer, Today).Should().ContainSingle().Subject;

        decision.Candidate.Data["area"].Should().Be("Milano");
        decision.Candidate.Reason.Should().Be("grass pollen forecast 80 grains/m³ in IT-MI on 2027-05-15 (threshold 50)");
    }

    [Fact]
    public void The_type_furthest_above_its_threshold_is_the_occasion_and_cooldowns_are_per_type()
    {
        var planner = PlannerWith(grass: 60, birch: 300);

        planner.Plan(InMilano(), Today).Single().Candidate.Data["pollen_type"].Should().Be("birch");
        var birchYesterday = Planner.Sent("pollen", Today.PlusDays(-1), "pollen:birch");
        planner.Plan(InMilano(), Today, birchYesterday).Single().ReasonCode.Should().Be(ReasonCodes.Cooldown);
        PlannerWith(grass: 60).Plan(InMilano(), Today, birchYesterday).Single().Outcome.Should().Be(DecisionOutcome.Planned);
    }

    [Fact]
    public void By_default_purchases_shape_the_message_only_with_the_health_opt_in()
    {
        var planner = PlannerWith(grass: 80);
        var buyer = InMilano().WithCategory("allergy");
        var consentingBuyer = InMilano("C2").WithCategory("allergy")
            .WithConsent(ConsentChannels.HealthPersonalization, ConsentStatus.OptIn, TestProfiles.ConsentedAt);

        var plain = planner.Plan(buyer, Today).Single();
        var personal = planner.Plan(consentingBuyer, Today).Single();

        plain.Outcome.Should().Be(DecisionOutcome.Planned);
        plain.Candidate.UsesPurchaseInference.Should().BeFalse();
        plain.Candidate.Data.Should().NotContainKey("allergy_buyer");
        personal.Candidate.UsesPurchaseInference.Should().BeTrue();
        personal.Candidate.Data["allergy_buyer"].Should().Be("true");
        personal.Outcome.Should().Be(DecisionOutcome.Planned);
    }

    [Fact]
    public void Targeting_allergy_buyers_is_sensitive_and_needs_the_health_opt_in()
    {
        var planner = PlannerWith(80, 0, ("Automation:Triggers:Pollen:Targeting", "AllergyBuyers"));
        var buyer = InMilano().WithCategory("Allergy");
        var optedOut = InMilano("C2").WithCategory("allergy")
            .WithConsent(ConsentChannels.HealthPersonalization, ConsentStatus.OptOut, TestProfiles.ConsentedAt);
        var consenting = InMilano("C3").WithCategory("allergy")
            .WithConsent(ConsentChannels.HealthPersonalization, ConsentStatus.OptIn, TestProfiles.ConsentedAt);

        planner.Plan(InMilano("C4"), Today).Should().BeEmpty("only buyers are selected");
        planner.Plan(buyer, Today).Single().ReasonCode.Should().Be(ReasonCodes.SensitiveData);
        planner.Plan(optedOut, Today).Single().ReasonCode.Should().Be(ReasonCodes.SensitiveData);
        planner.Plan(consenting, Today).Single().Outcome.Should().Be(DecisionOutcome.Planned);
    }
}
