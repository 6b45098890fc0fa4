using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Service.Tests;

public sealed class PlanScheduleTests
{
    private static readonly DateTimeZone Rome = DateTimeZoneProviders.Tzdb["Europe/Rome"];

    private static PlanSchedule Parse(string text) => PlanSchedule.TryParse(text, Rome, out var problem) ?? throw new InvalidOperationException(problem);

    [Fact]
    public void Six_every_morning_stays_at_six_local_time_across_the_clock_change()
    {
        var schedule = Parse("0 6 * * *");

        // The night of 28 to 29 March 2026 Rome moves from UTC+1 to UTC+2.
        schedule.NextAfter(Instant.FromUtc(2026, 3, 28, 12, 0)).Should().Be(Instant.FromUtc(2026, 3, 29, 4, 0));
        schedule.NextAfter(Instant.FromUtc(2026, 3, 27, 12, 0)).Should().Be(Instant.FromUtc(2026, 3, 28, 5, 0));
    }

    [Fact]
    public void Quartz_expressions_with_seconds_are_read_as_well()
    {
        Parse("0 30 5 ? * MON-FRI").NextAfter(Instant.FromUtc(2026, 11, 21, 12, 0)).Should().Be(Instant.FromUtc(2026, 11, 23, 4, 30), "21 November 2026 is a Saturday");
    }

    [Fact]
    public void A_plan_missed_earlier_today_is_owed_but_not_one_from_yesterday()
    {
        var schedule = Parse("0 6 * * *");

        schedule.DueToday(Instant.FromUtc(2026, 11, 22, 9, 0)).Should().Be(Instant.FromUtc(2026, 11, 22, 5, 0));
        schedule.DueToday(Instant.FromUtc(2026, 11, 22, 5, 0)).Should().Be(Instant.FromUtc(2026, 11, 22, 5, 0), "the firing instant itself is due");
        schedule.DueToday(Instant.FromUtc(2026, 11, 22, 4, 59)).Should().BeNull("before six, today's plan is not due and yesterday's is not made up");
        schedule.DayOf(Instant.FromUtc(2026, 11, 22, 23, 30)).Should().Be(new LocalDate(2026, 11, 23), "half past midnight in Rome is already the 23rd");
    }

    [Theory]
    [InlineData("every morning")]
    [InlineData("0 25 * * *")]
    [InlineData("")]
    public void What_is_not_a_cron_expression_is_refused_with_an_example(string text)
    {
        PlanSchedule.TryParse(text, Rome, out var problem).Should().BeNull();
        problem.Should().Contain("is not a cron expression").And.Contain("0 6 * * *");
    }
}
