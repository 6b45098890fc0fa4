using Automation.Planning.Days;
using Automation.Planning.Policies;
using Automation.Planning.Settings;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Planning.Tests;

/// <summary>Which days a plan covers, across the date line: from UTC+14 (Kiritimati) to UTC−12 (Baker Island).</summary>
public sealed class PlanningDaysTests
{
    private static readonly SendWindow NineToEight = new(new LocalTime(9, 0), new LocalTime(20, 0));
    private static readonly DateTimeZone Kiritimati = DateTimeZoneProviders.Tzdb["Pacific/Kiritimati"];
    private static readonly DateTimeZone BakerIsland = DateTimeZoneProviders.Tzdb["Etc/GMT+12"];
    private static readonly DateTimeZone Apia = DateTimeZoneProviders.Tzdb["Pacific/Apia"];
    private static readonly DateTimeZone Honolulu = DateTimeZoneProviders.Tzdb["Pacific/Honolulu"];
    private static readonly LocalDate Day = new(2026, 12, 4);

    [Theory]
    [InlineData("2026-12-03T00:00:00Z")]
    [InlineData("2026-12-03T05:00:00Z")]
    [InlineData("2026-12-03T19:40:00Z")]
    [InlineData("2026-12-03T23:59:59Z")]
    public void A_plan_at_any_hour_of_a_UTC_day_plans_the_next_day_and_no_customer_has_lost_it(string at)
    {
        var now = NodaTime.Text.InstantPattern.ExtendedIso.Parse(at).Value;

        PlanningDays.Ahead(now).Should().Be(Day);
        foreach (var zone in new[] { Kiritimati, Apia, DateTimeZoneProviders.Tzdb["Asia/Tokyo"], DateTimeZone.Utc, Honolulu, BakerIsland })
        {
            SendWindows.Next(NineToEight, Day, zone, now).Should().NotBeNull($"the window of {Day} in {zone.Id} is still ahead or open at {at}");
        }
    }

    [Fact]
    public void The_day_begins_first_in_UTC_plus_14_and_its_last_window_closes_in_UTC_minus_12()
    {
        Day.AtStartOfDayInZone(Kiritimati).ToInstant().Should().Be(Instant.FromUtc(2026, 12, 3, 10, 0));
        PlanningDays.Ahead(Instant.FromUtc(2026, 12, 3, 9, 59)).Should().Be(Day, "a plan before 10:00 UTC on the 3rd is ahead of Kiritimati");
        PlanningDays.EarliestOpen(Instant.FromUtc(2026, 12, 3, 19, 40)).Should().Be(new LocalDate(2026, 12, 2));
        PlanningDays.FirstWindowCloses(Day, NineToEight).Should().Be(Instant.FromUtc(2026, 12, 4, 6, 0));
        PlanningDays.LastWindowCloses(Day, NineToEight).Should().Be(Instant.FromUtc(2026, 12, 5, 8, 0));
        BakerIsland.AtStrictly(Day + NineToEight.End).ToInstant().Should().Be(PlanningDays.LastWindowCloses(Day, NineToEight));
        SendWindows.Next(NineToEight, Day, BakerIsland, Instant.FromUtc(2026, 12, 5, 7, 59)).Should().NotBeNull();
        SendWindows.Next(NineToEight, Day, BakerIsland, Instant.FromUtc(2026, 12, 5, 8, 0)).Should().BeNull();
    }

    [Fact]
    public void A_new_installation_owes_the_day_ahead_only()
    {
        PlanningDays.Owed(Instant.FromUtc(2026, 12, 3, 19, 40), NineToEight, []).Should().Equal(Day);
    }

    [Fact]
    public void A_planned_day_is_not_owed_again()
    {
        PlanningDays.Owed(Instant.FromUtc(2026, 12, 3, 19, 40), NineToEight, [Day.PlusDays(-1), Day]).Should().BeEmpty();
    }

    [Fact]
    public void A_missed_day_is_owed_late_while_its_window_is_open_somewhere()
    {
        var planned = new[] { new LocalDate(2026, 12, 1), new LocalDate(2026, 12, 2) };

        // The plan of 3 December should have run on the 2nd; on the 3rd at 19:40 UTC the day is still on in the Americas.
        PlanningDays.Owed(Instant.FromUtc(2026, 12, 3, 19, 40), NineToEight, planned).Should().Equal(new LocalDate(2026, 12, 3), Day);
        // At 07:59 UTC on the 4th Baker Island's window of the 3rd is still open; at 08:00 it has closed for everyone.
        PlanningDays.Owed(Instant.FromUtc(2026, 12, 4, 7, 59), NineToEight, planned).Should().Equal(new LocalDate(2026, 12, 3), Day, Day.PlusDays(1));
        PlanningDays.Owed(Instant.FromUtc(2026, 12, 4, 8, 0), NineToEight, planned).Should().Equal(Day, Day.PlusDays(1));
    }

    [Fact]
    public void Days_before_the_first_plan_on_record_are_not_made_up()
    {
        PlanningDays.Owed(Instant.FromUtc(2026, 12, 3, 6, 0), NineToEight, [Day]).Should().BeEmpty("the 3rd was never due: the installation began with the 4th");
    }

    [Fact]
    public void A_late_plan_sends_in_the_rest_of_the_window_and_says_why_not_where_it_has_closed()
    {
        // The plan of 4 December runs at 20:30 UTC on the 4th: Kiritimati's window (19:00 UTC on the 3rd to 06:00 on the 4th) has
        // closed, Honolulu's (19:00 UTC on the 4th to 06:00 on the 5th) is open, Baker Island's (21:00 to 08:00) is ahead.
        var late = Instant.FromUtc(2026, 12, 4, 20, 30);

        SendWindows.Next(NineToEight, Day, Kiritimati, late).Should().BeNull();
        SendWindows.Next(NineToEight, Day, Honolulu, late).Should().Be(late);
        SendWindows.Next(NineToEight, Day, BakerIsland, late).Should().Be(Instant.FromUtc(2026, 12, 4, 21, 0));
    }
}
