using Automation.Profiles.Identifiers;
using Automation.Messages;
using Automation.Planning.Policies;
using Automation.Profiles.Model;
using Automation.Testing;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Planning.Tests;

/// <summary>The per-address rules: one message per address per occasion and per day, cooldowns and the frequency cap per address.</summary>
public sealed class SameAddressTests
{
    private static readonly LocalDate Birthday = new(2026, 6, 15);

    private static CustomerProfile Celebrating(string id) => TestProfiles.Customer(id, born: new LocalDate(1990, 6, 15));

    /// <summary>A message of another customer at the address, as the message log holds it.</summary>
    private static MessageRecord Theirs(
        string customerId, string trigger, string occasion, LocalDate plannedFor, MessageStatus status = MessageStatus.Sent, string? cooldownKey = null,
        IReadOnlyDictionary<string, string>? data = null) =>
        new(new MessageId($"m-{customerId}-{trigger}-{occasion}"), new CustomerId(customerId), new TriggerName(trigger), occasion, cooldownKey ?? trigger, plannedFor, null, status, null, "test",
            data ?? new Dictionary<string, string>(), plannedFor.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant());

    private static SameAddress Sharing(params MessageRecord[] messages) => new("mailbox-1", ["C2"], messages);

    [Fact]
    public void The_occasion_another_record_at_the_address_got_is_not_mailed_again()
    {
        var planner = new Planner();
        var candidate = planner.Plan(Celebrating("C2"), Birthday).Single().Candidate;

        var decision = planner.Plan(Celebrating("C1"), Birthday, Sharing(Theirs("C2", "birthday", candidate.OccasionKey, Birthday.PlusDays(-1), data: candidate.Data))).Single();

        decision.ReasonCode.Should().Be(ReasonCodes.SharedAddress);
        decision.Detail.Should().Contain("customer C2 has the same address").And.Contain("one message per address per occasion");
        decision.MailboxKey.Should().Be("mailbox-1");
    }

    [Fact]
    public void Two_people_at_one_address_each_get_their_own_birthday()
    {
        var planner = new Planner();
        var partner = TestProfiles.Customer("C2", born: new LocalDate(1988, 3, 2));
        var theirs = planner.Plan(partner, new LocalDate(2026, 3, 2)).Single().Candidate;

        planner.Plan(Celebrating("C1"), Birthday, Sharing(Theirs("C2", "birthday", theirs.OccasionKey, new LocalDate(2026, 3, 2), data: theirs.Data))).Single().Outcome
            .Should().Be(DecisionOutcome.Planned, "another birthday in the same year is another occasion");
    }

    [Fact]
    public void A_message_to_the_address_that_day_from_another_record_leaves_none_for_this_one()
    {
        var decision = new Planner().Plan(Celebrating("C1"), Birthday, Sharing(Theirs("C2", "churn_risk", "x", Birthday))).Single();

        decision.ReasonCode.Should().Be(ReasonCodes.SharedAddress);
        decision.Detail.Should().Be("customer C2 has the same address and a churn_risk message planned for 2026-06-15; one message per address a day");
    }

    [Fact]
    public void The_frequency_cap_counts_the_messages_of_every_record_at_the_address()
    {
        var planner = new Planner(("Automation:Policies:FrequencyCap:MaxMessages", "2"), ("Automation:Policies:FrequencyCap:WindowDays", "7"));
        var theirs = Sharing(Theirs("C2", "churn_risk", "a", Birthday.PlusDays(-2)), Theirs("C2", "pollen", "b", Birthday.PlusDays(-1)));

        var capped = planner.Plan(Celebrating("C1"), Birthday, theirs).Single();

        capped.ReasonCode.Should().Be(ReasonCodes.FrequencyCap);
        capped.Detail.Should().Be("2 messages to this address (shared with customer C2) in the 7 days to 2026-06-15; the cap is 2");
        planner.Plan(Celebrating("C1"), Birthday, Sharing(Theirs("C2", "churn_risk", "a", Birthday.PlusDays(-2)))).Single().Outcome
            .Should().Be(DecisionOutcome.Planned, "one message to the address in the window is under the cap");
        planner.Plan(Celebrating("C1"), Birthday, Sharing(Theirs("C2", "churn_risk", "a", Birthday.PlusDays(-8)), Theirs("C2", "pollen", "b", Birthday.PlusDays(-9))))
            .Single().Outcome.Should().Be(DecisionOutcome.Planned, "messages before the window do not count");
    }

    [Fact]
    public void A_cooldown_holds_for_the_address_not_only_the_record()
    {
        var planner = new Planner();
        var lapsed = TestProfiles.Customer("C1").WithRhythm(Birthday.PlusDays(-142), interval: 35, count: 5);
        var own = planner.Plan(lapsed, Birthday).Single();
        own.Trigger.Name.Should().Be("churn_risk");

        var decision = planner.Plan(lapsed, Birthday, Sharing(Theirs("C2", "churn_risk", "lapse-after-2025-01-01", Birthday.PlusDays(-10), cooldownKey: own.Candidate.CooldownKey))).Single();

        decision.ReasonCode.Should().Be(ReasonCodes.Cooldown);
        decision.Detail.Should().StartWith("a churn_risk message to the same address (customer C2) was planned for 2026-06-05");
    }

    [Fact]
    public void Suppressed_decisions_of_the_others_do_not_count_and_an_address_with_no_messages_changes_nothing()
    {
        var planner = new Planner();
        var occasion = planner.Plan(Celebrating("C2"), Birthday).Single().Candidate.OccasionKey;

        planner.Plan(Celebrating("C1"), Birthday, Sharing(Theirs("C2", "birthday", occasion, Birthday, MessageStatus.Suppressed))).Single().Outcome
            .Should().Be(DecisionOutcome.Planned, "a suppressed decision is no message");
        var alone = planner.Plan(Celebrating("C1"), Birthday, Sharing()).Single();
        alone.Outcome.Should().Be(DecisionOutcome.Planned);
        alone.MailboxKey.Should().Be("mailbox-1", "the message still claims the address's day when it is recorded");
    }
}
