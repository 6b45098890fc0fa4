using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Service.Tests;

public sealed class PlanScheduleTests
{
    private static PlanSchedule Parse(string text) => PlanSchedule.TryParse(text, out var problem) ?? throw new InvalidOperationException(problem);

    [Fact]
    public void The_schedule_is_in_UTC_whatever_the_season()
    {
        var schedule = Parse(ServiceSettings.DefaultPlanSchedule);

        // Europe changes its clocks on the night of 28 to 29 March 2026; the plan stays at 05:00 UTC.
        schedule.NextAfter(Instant.FromUtc(2026, 3, 28, 12, 0)).Should().Be(Instant.FromUtc(2026, 3, 29, 5, 0));
        schedule.NextAfter(Instant.FromUtc(2026, 3, 27, 12, 0)).Should().Be(Instant.FromUtc(2026, 3, 28, 5, 0));
    }

    [Fact]
    public void Six_field_expressions_with_seconds_are_read_as_well()
    {
        Parse("0 30 5 ? * MON-FRI").NextAfter(Instant.FromUtc(2026, 11, 21, 12, 0)).Should().Be(Instant.FromUtc(2026, 11, 23, 5, 30), "21 November 2026 is a Saturday");
    }

    [Fact]
    public void A_plan_missed_earlier_today_is_owed_but_not_one_from_yesterday()
    {
        var schedule = Parse("0 5 * * *");

        schedule.DueToday(Instant.FromUtc(2026, 11, 22, 9, 0)).Should().Be(Instant.FromUtc(2026, 11, 22, 5, 0));
        schedule.DueToday(Instant.FromUtc(2026, 11, 22, 5, 0)).Should().Be(Instant.FromUtc(2026, 11, 22, 5, 0), "the firing instant itself is due");
        schedule.DueToday(Instant.FromUtc(2026, 11, 22, 4, 59)).Should().BeNull("before five, today's plan is not due; yesterday's day ahead is today, which the planned-days ledger covers");
    }

    [Theory]
    [InlineData("every morning")]
    [InlineData("0 25 * * *")]
    [InlineData("")]
    public void What_is_not_a_cron_expression_is_refused_with_an_example(string text)
    {
        PlanSchedule.TryParse(text, out var problem).Should().BeNull();
        problem.Should().Contain("is not a cron expression").And.Contain("0 5 * * *");
    }
}
