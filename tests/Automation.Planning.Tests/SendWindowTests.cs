using Automation.Planning.Policies;
using Automation.Planning.Settings;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Planning.Tests;

public sealed class SendWindowTests
{
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
    private static readonly SendWindow NineToEight = new(new LocalTime(9, 0), new LocalTime(20, 0));

    [Fact]
    public void The_window_follows_local_time_across_the_spring_change()
    {
        var before = SendWindows.Next(NineToEight, new LocalDate(2027, 3, 27), Berlin, Instant.FromUtc(2027, 3, 26, 0, 0));
        var after = SendWindows.Next(NineToEight, new LocalDate(2027, 3, 28), Berlin, Instant.FromUtc(2027, 3, 27, 0, 0));

        before.Should().Be(Instant.FromUtc(2027, 3, 27, 8, 0), "09:00 CET is 08:00 UTC");
        after.Should().Be(Instant.FromUtc(2027, 3, 28, 7, 0), "09:00 CEST is 07:00 UTC");
    }

    [Fact]
    public void A_window_opening_in_the_skipped_hour_opens_when_the_clocks_resume()
    {
        var window = new SendWindow(new LocalTime(2, 30), new LocalTime(20, 0));

        var at = SendWindows.Next(window, new LocalDate(2027, 3, 28), Berlin, Instant.FromUtc(2027, 3, 27, 0, 0));

        at.Should().Be(Instant.FromUtc(2027, 3, 28, 1, 0), "02:30 does not exist that night; 03:00 CEST is the first instant after");
    }

    [Fact]
    public void A_window_opening_in_the_repeated_hour_opens_at_its_first_occurrence()
    {
        var window = new SendWindow(new LocalTime(2, 30), new LocalTime(20, 0));

        var at = SendWindows.Next(window, new LocalDate(2026, 10, 25), Berlin, Instant.FromUtc(2026, 10, 24, 0, 0));

        at.Should().Be(Instant.FromUtc(2026, 10, 25, 0, 30), "02:30 CEST comes before 02:30 CET");
    }

    [Fact]
    public void Inside_the_window_the_message_goes_now_and_after_it_not_that_day()
    {
        var day = new LocalDate(2026, 10, 25);

        SendWindows.Next(NineToEight, day, Berlin, Instant.FromUtc(2026, 10, 25, 12, 34)).Should().Be(Instant.FromUtc(2026, 10, 25, 12, 34));
        SendWindows.Next(NineToEight, day, Berlin, Instant.FromUtc(2026, 10, 25, 19, 0)).Should().BeNull("20:00 CET is 19:00 UTC after the autumn change");
        SendWindows.Next(NineToEight, day, Berlin, Instant.FromUtc(2026, 10, 25, 18, 59)).Should().NotBeNull();
    }
}
