using Automation.Profiles.Identifiers;
using Automation.Messages;
using Automation.Planning.Policies;
using Automation.Planning.Triggers;
using Automation.Profiles.Model;
using Automation.Testing;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Planning.Tests;

public sealed class PolicyTests
{
    [Fact]
    public void The_planner_applies_the_policies_in_the_order_docs_planning_md_lists_them()
    {
        var planning = File.ReadAllLines(Path.Combine(SharedData.RepositoryRoot, "docs", "planning.md"));
        var table = planning.SkipWhile(line => line != "## Policies, in order").Skip(1).SkipWhile(line => !line.StartsWith('|')).TakeWhile(line => line.StartsWith('|'));
        var documented = table.Skip(2).Select(row => row.Split('|')[2].Trim()).Distinct().ToList();

        documented.Should().Equal(CustomerPlanner.Policies);
    }

    private static readonly LocalDate Birthday = new(2026, 6, 15);
    private static readonly Instant Earlier = Instant.FromUtc(2025, 1, 1, 0, 0);
    private static readonly Instant Later = Instant.FromUtc(2026, 1, 1, 0, 0);

    private static CustomerProfile Celebrating(string id = "C1") => TestProfiles.Customer(id, born: new LocalDate(1990, 6, 15));

    private static ReasonCode? Reason(CustomerProfile profile, params (string, string)[] settings) =>
        new Planner(settings).Plan(profile, Birthday).Single().ReasonCode;

    [Fact]
    public void A_customer_without_an_address_is_not_contactable()
    {
        var profile = Celebrating();
        profile.Email = null;

        Reason(profile).Should().Be(ReasonCodes.NoEmail);
    }

    [Theory]
    [InlineData("jörg.müller@example.de")]
    [InlineData("李雷@example.cn")]
    public void An_address_the_channel_cannot_deliver_is_not_planned_and_the_reason_says_why_without_quoting_it(string address)
    {
        var profile = Celebrating();
        profile.Email = address;

        var decision = Planner.For(new AddressSupport("SendGrid", NonAsciiLocalParts: false)).Plan(profile, Birthday).Single();

        decision.ReasonCode.Should().Be(ReasonCodes.UndeliverableAddress);
        decision.Detail.Should().Be("the address's local part (before the @) is not ASCII, and SendGrid cannot deliver to such an address (it needs SMTPUTF8)");
        Planner.For(new AddressSupport("the outbox", NonAsciiLocalParts: true)).Plan(profile, Birthday).Single().Outcome.Should().Be(DecisionOutcome.Planned);
        Planner.For(new AddressSupport("SendGrid", NonAsciiLocalParts: false)).Plan(Celebrating("C2"), Birthday).Single().Outcome.Should().Be(DecisionOutcome.Planned,
            "an ASCII address is deliverable everywhere");
    }

    [Fact]
    public void An_explicit_opt_out_wins_over_a_newer_export_opt_in()
    {
        var profile = Celebrating().WithConsent(ConsentChannels.Email, ConsentStatus.OptOut, Earlier)
            .WithConsent(ConsentChannels.Email, ConsentStatus.OptIn, Later, fromExport: true);

        Reason(profile).Should().Be(ReasonCodes.OptedOut);
    }

    [Fact]
    public void A_newer_explicit_opt_in_lifts_an_opt_out_and_an_export_opt_in_alone_suffices()
    {
        var reconsented = Celebrating().WithConsent(ConsentChannels.Email, ConsentStatus.OptIn, Later);
        var exportOnly = new CustomerProfile("C2") { Email = "customer.c2@example.com", BirthDate = new LocalDate(1990, 6, 15) }
            .WithConsent(ConsentChannels.Email, ConsentStatus.OptIn, Later, fromExport: true);

        Reason(reconsented).Should().BeNull();
        Reason(exportOnly).Should().BeNull();
    }

    [Fact]
    public void Without_any_opt_in_nothing_is_sent()
    {
        var never = new CustomerProfile("C1") { Email = "customer.c1@example.com", BirthDate = new LocalDate(1990, 6, 15) };
        var exportSaysNo = new CustomerProfile("C2") { Email = "customer.c2@example.com", BirthDate = new LocalDate(1990, 6, 15) }
            .WithConsent(ConsentChannels.Email, ConsentStatus.OptOut, Later, fromExport: true);

        Reason(never).Should().Be(ReasonCodes.NoOptIn);
        Reason(exportSaysNo).Should().Be(ReasonCodes.NoOptIn);
    }

    [Theory]
    [InlineData(ConsentStatus.Bounced, "bounced")]
    [InlineData(ConsentStatus.SpamReport, "spam_report")]
    public void Suppressions_stop_mail_despite_an_earlier_opt_in(ConsentStatus suppression, string code)
    {
        var reason = new ReasonCode(code);
        var profile = Celebrating().WithConsent(ConsentChannels.Email, suppression, Later);

        var decision = new Planner().Plan(profile, Birthday).Single();

        decision.ReasonCode.Should().Be(reason);
        decision.ShouldRecord.Should().BeTrue();
        new Planner().Plan(profile, Birthday, new MessageHistoryEntry(decision.MessageId, new TriggerName("birthday"), null, Birthday, MessageStatus.Suppressed, reason))
            .Single().ShouldRecord.Should().BeFalse("the log already holds this very decision");
    }

    [Fact]
    public void When_several_triggers_fire_the_configured_priority_decides()
    {
        var profile = Celebrating().WithRhythm(Birthday.PlusDays(-300), interval: 10, count: 5);

        var byDefault = new Planner().Plan(profile, Birthday);
        var churnFirst = new Planner(("Automation:Triggers:ChurnRisk:Priority", "1"), ("Automation:Triggers:Birthday:Priority", "2")).Plan(profile, Birthday);

        byDefault.Select(d => (d.Trigger.Name, d.Outcome)).Should().Equal(
            (BirthdayTrigger.TriggerName, DecisionOutcome.Planned), (ChurnRiskTrigger.TriggerName, DecisionOutcome.Suppressed));
        byDefault[1].ReasonCode.Should().Be(ReasonCodes.LowerPriority);
        churnFirst.Select(d => (d.Trigger.Name, d.Outcome)).Should().Equal(
            (ChurnRiskTrigger.TriggerName, DecisionOutcome.Planned), (BirthdayTrigger.TriggerName, DecisionOutcome.Suppressed));
    }

    [Fact]
    public void A_suppressed_top_candidate_leaves_the_day_to_the_next_one()
    {
        var profile = Celebrating().WithRhythm(Birthday.PlusDays(-300), interval: 10, count: 5);
        var birthdaySentThisYear = new MessageHistoryEntry(
            MessageIds.For(new CustomerId("C1"), new TriggerName("birthday"), "2026"), new TriggerName("birthday"), null, Birthday.PlusDays(-3), MessageStatus.Sent, null);

        var decisions = new Planner(("Automation:Policies:FrequencyCap:MaxMessages", "5")).Plan(profile, Birthday, birthdaySentThisYear);

        decisions[0].Outcome.Should().Be(DecisionOutcome.AlreadyPlanned);
        decisions[1].Outcome.Should().Be(DecisionOutcome.Planned);
    }

    [Fact]
    public void The_frequency_cap_counts_messages_of_every_trigger_in_the_rolling_window()
    {
        var planner = new Planner(("Automation:Policies:FrequencyCap:MaxMessages", "2"), ("Automation:Policies:FrequencyCap:WindowDays", "7"));
        var twoThisWeek = new[] { Planner.Sent("churn_risk", Birthday.PlusDays(-6)), Planner.Sent("pollen", Birthday.PlusDays(-2), "pollen:grass") };
        var oneOld = new[] { Planner.Sent("churn_risk", Birthday.PlusDays(-7)), Planner.Sent("pollen", Birthday.PlusDays(-2), "pollen:grass") };
        var suppressedDoNotCount = new[]
        {
            Planner.Sent("churn_risk", Birthday.PlusDays(-6)),
            new MessageHistoryEntry(new MessageId("m-x"), new TriggerName("pollen"), "pollen:grass", Birthday.PlusDays(-1), MessageStatus.Suppressed, ReasonCodes.NoOptIn),
        };

        var capped = planner.Plan(Celebrating(), Birthday, twoThisWeek).Single();
        capped.ReasonCode.Should().Be(ReasonCodes.FrequencyCap);
        capped.Detail.Should().Be("2 messages in the 7 days to 2026-06-15; the cap is 2");
        planner.Plan(Celebrating(), Birthday, oneOld).Single().Outcome.Should().Be(DecisionOutcome.Planned);
        planner.Plan(Celebrating(), Birthday, suppressedDoNotCount).Single().Outcome.Should().Be(DecisionOutcome.Planned);
    }

    [Fact]
    public void One_message_a_day_holds_across_plans()
    {
        var alreadyToday = Planner.Sent("churn_risk", Birthday);

        var decision = new Planner(("Automation:Policies:FrequencyCap:MaxMessages", "10")).Plan(Celebrating(), Birthday, alreadyToday).Single();

        decision.ReasonCode.Should().Be(ReasonCodes.FrequencyCap);
        decision.Detail.Should().Contain("already planned for 2026-06-15");
    }

    [Fact]
    public void A_message_that_cannot_be_personalised_is_not_sent_and_says_why()
    {
        var planner = new Planner(new MissingFirstName(), []);

        var decision = planner.Plan(Celebrating(), Birthday).Single();

        decision.ReasonCode.Should().Be(ReasonCodes.MissingData);
        decision.Detail.Should().Be("first_name is missing");
    }

    [Fact]
    public void The_message_id_is_a_function_of_customer_trigger_and_occasion()
    {
        MessageIds.For(new CustomerId("C1"), new TriggerName("birthday"), "2026").Value.Should().Be(MessageIds.For(new CustomerId("C1"), new TriggerName("birthday"), "2026").Value);
        new[] { MessageIds.For(new CustomerId("C1"), new TriggerName("birthday"), "2027").Value, MessageIds.For(new CustomerId("C2"), new TriggerName("birthday"), "2026").Value, MessageIds.For(new CustomerId("C1"), new TriggerName("churn_risk"), "2026").Value }
            .Should().OnlyHaveUniqueItems().And.NotContain(MessageIds.For(new CustomerId("C1"), new TriggerName("birthday"), "2026").Value);
        new Planner().Plan(Celebrating(), Birthday).Single().MessageId.Should().Be(MessageIds.For(new CustomerId("C1"), new TriggerName("birthday"), "2026"));
    }

    private sealed class MissingFirstName : IPersonalizationCheck
    {
        public string? FindMissingData(CustomerProfile profile, TriggerCandidate candidate, MessageId messageId) => "first_name is missing";
    }
}
