using Automation.Planning.Days;
using Automation.Planning.Policies;
using Automation.Testing;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Planning.Tests;

public sealed class BirthdayTests
{
    private const string Enabled = "Automation:Triggers:Birthday:Enabled";

    [Fact]
    public void Fires_on_the_birthday_once_a_year_with_the_age()
    {
        var planner = new Planner();
        var profile = TestProfiles.Customer(born: new LocalDate(1990, 6, 15));

        planner.Plan(profile, new LocalDate(2026, 6, 14)).Should().BeEmpty();
        var decision = planner.Plan(profile, new LocalDate(2026, 6, 15)).Should().ContainSingle().Subject;
        planner.Plan(profile, new LocalDate(2026, 6, 16)).Should().BeEmpty();

        decision.Outcome.Should().Be(DecisionOutcome.Planned);
        decision.Candidate.OccasionKey.Should().Be("2026");
        decision.Candidate.Data["age"].Should().Be("36");
        decision.Candidate.Reason.Should().Be("birthday today");
    }

    [Fact]
    public void Days_before_announces_the_coming_birthday_under_the_birthday_year()
    {
        var planner = new Planner(("Automation:Triggers:Birthday:DaysBefore", "3"));
        var profile = TestProfiles.Customer(born: new LocalDate(1990, 1, 2));

        var decision = planner.Plan(profile, new LocalDate(2026, 12, 30)).Should().ContainSingle().Subject;

        decision.Candidate.OccasionKey.Should().Be("2027");
        decision.Candidate.Data["birthday_date"].Should().Be("2027-01-02");
        decision.Candidate.Reason.Should().Be("birthday in 3 days, on 2027-01-02");
    }

    [Theory]
    [InlineData("Feb28", "2027-02-28", "2027-03-01")]
    [InlineData("Mar1", "2027-03-01", "2027-02-28")]
    public void A_leap_day_birthday_follows_the_configured_rule_in_common_years(string rule, string fires, string silent)
    {
        var planner = new Planner(("Automation:Triggers:Birthday:LeapDayRule", rule));
        var profile = TestProfiles.Customer(born: new LocalDate(2000, 2, 29));

        planner.Plan(profile, NodaTime.Text.LocalDatePattern.Iso.Parse(fires).Value).Should().ContainSingle()
            .Which.Candidate.Reason.Should().Contain("born on 29 February");
        planner.Plan(profile, NodaTime.Text.LocalDatePattern.Iso.Parse(silent).Value).Should().BeEmpty();
    }

    [Fact]
    public void A_leap_day_birthday_is_on_february_29_in_leap_years_only()
    {
        var planner = new Planner(("Automation:Triggers:Birthday:LeapDayRule", "Mar1"));
        var profile = TestProfiles.Customer(born: new LocalDate(2000, 2, 29));

        planner.Plan(profile, new LocalDate(2028, 2, 29)).Should().ContainSingle().Which.Candidate.OccasionKey.Should().Be("2028");
        planner.Plan(profile, new LocalDate(2028, 2, 28)).Should().BeEmpty();
        planner.Plan(profile, new LocalDate(2028, 3, 1)).Should().BeEmpty();
    }

    [Theory]
    [InlineData(1920, false)]
    [InlineData(2016, false)]
    [InlineData(2012, true)]
    [InlineData(1926, true)]
    public void The_age_reaches_templates_only_when_plausible(int bornIn, bool ageShown)
    {
        var planner = new Planner();

        var decision = planner.Plan(TestProfiles.Customer(born: new LocalDate(bornIn, 6, 15)), new LocalDate(2026, 6, 15)).Single();

        decision.Candidate.Data.ContainsKey("age").Should().Be(ageShown);
    }

    [Fact]
    public void Customers_on_either_side_of_the_date_line_get_it_on_their_own_birthday()
    {
        var planner = new Planner((Enabled, "true"));
        var kiritimati = TestProfiles.Customer("C-EAST", "Pacific/Kiritimati", new LocalDate(1990, 6, 15));   // UTC+14
        var pagoPago = TestProfiles.Customer("C-WEST", "Pacific/Pago_Pago", new LocalDate(1990, 6, 15));      // UTC-11
        var now = Instant.FromUtc(2026, 6, 14, 12, 0);
        var day = new LocalDate(2026, 6, 15);

        var east = planner.Plan(kiritimati, day, now).Single();
        var west = planner.Plan(pagoPago, day, now).Single();

        east.SendAt.Should().Be(Instant.FromUtc(2026, 6, 14, 19, 0), "09:00 on 15 June in Kiritimati is 19:00 UTC the day before");
        west.SendAt.Should().Be(Instant.FromUtc(2026, 6, 15, 20, 0), "09:00 on 15 June in Pago Pago is 20:00 UTC");
        east.SendAt!.Value.InZone(DateTimeZoneProviders.Tzdb["Pacific/Kiritimati"]).Date.Should().Be(day);
        west.SendAt!.Value.InZone(DateTimeZoneProviders.Tzdb["Pacific/Pago_Pago"]).Date.Should().Be(day);

        // A day later, at one instant, it is 16 June in Kiritimati (too late) and still 15 June in Pago Pago.
        var later = Instant.FromUtc(2026, 6, 15, 12, 0);
        var late = planner.Plan(kiritimati, day, later).Single();
        late.ReasonCode.Should().Be(ReasonCodes.SendWindowPassed);
        late.Detail.Should().Be("the send window 09:00–20:00 of 2026-06-15 in Pacific/Kiritimati had closed when this plan ran (2026-06-16 02:00 there): " +
            "the plan was late, and a day's message is not sent on another day");
        PlanningDays.Ahead(now).Should().Be(day, "a plan on time for both is the one the hosts run the day before");
        planner.Plan(pagoPago, day, later).Single().SendAt.Should().Be(Instant.FromUtc(2026, 6, 15, 20, 0));
    }

    [Fact]
    public void Without_a_profile_time_zone_the_configured_default_applies()
    {
        var planner = new Planner(("Automation:Policies:DefaultTimeZone", "Asia/Tokyo"));

        var decision = planner.Plan(TestProfiles.Customer(timeZone: null, born: new LocalDate(1990, 6, 15)), new LocalDate(2026, 6, 15), Instant.FromUtc(2026, 6, 14, 0, 0)).Single();

        decision.SendAt.Should().Be(Instant.FromUtc(2026, 6, 15, 0, 0), "09:00 in Tokyo is midnight UTC");
    }
}
