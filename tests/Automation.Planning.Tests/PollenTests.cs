using Automation.Planning.Context;
using Automation.Planning.Policies;
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
        ("Automation:Context:Pollen:ForecastFile", "forecasts.json"),
        ("Automation:Triggers:Pollen:Thresholds:grass", "50"),
        ("Automation:Triggers:Pollen:Thresholds:birch", "100"),
    ];

    private static Planner PlannerWith(double grass, double birch = 0, params (string, string)[] extra)
    {
        var planner = new Planner([.. Enabled, .. extra]);
        var area = new ForecastArea("IT-MI", "Milano", "IT", ["Milano"], new GeoPoint(45.46, 9.19), 30);
        var levels = new Dictionary<string, double> { ["grass"] = grass, ["birch"] = birch };
        planner.Context = new DayContext(new PollenForecasts(Today.PlusDays(1), [(area, new AreaForecast(area.Id, area.Name, Today.PlusDays(1), levels))]));
        return planner;
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
    public void Customers_are_placed_by_city_or_else_by_coordinates()
    {
        var planner = PlannerWith(grass: 80);
        var nearby = TestProfiles.Customer("C2");
        nearby.Coordinates = new GeoPoint(45.50, 9.25);
        var far = TestProfiles.Customer("C3");
        far.Coordinates = new GeoPoint(41.9, 12.5);

        planner.Plan(nearby, Today).Should().ContainSingle();
        planner.Plan(far, Today).Should().BeEmpty();
        planner.Plan(TestProfiles.Customer("C4"), Today).Should().BeEmpty();
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
