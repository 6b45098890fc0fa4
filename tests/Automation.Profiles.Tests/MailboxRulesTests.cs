using Automation.Profiles.Changes;
using Automation.Profiles.Mailboxes;
using Automation.Profiles.Merging;
using Automation.Profiles.Model;
using Automation.Testing;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Profiles.Tests;

public sealed class MailboxRulesTests
{
    private static readonly Instant OptedOutAt = Instant.FromUtc(2026, 2, 1, 9, 0);

    [Theory]
    [InlineData("ada@example.com", "Ada@Example.COM")]
    [InlineData("ada@example.com", "  ada@example.com\t")]
    [InlineData("jörg@example.de", "JÖRG@EXAMPLE.DE")]
    public void Addresses_that_differ_only_in_case_or_surrounding_space_are_one_mailbox(string a, string b)
    {
        MailboxKeys.Of(a).Should().Be(MailboxKeys.Of(b)).And.NotContain("@", "a key never shows the address");
        MailboxKeys.Of("other@example.com").Should().NotBe(MailboxKeys.Of(a));
        MailboxKeys.Of("  ").Should().BeNull();
    }

    [Fact]
    public void A_merge_says_which_mailbox_the_customer_left_and_joined_and_which_line_joined_it()
    {
        var line = new LineSource("sha256:customers", 7);
        var move = MailboxRules.Move("old@example.com", WithEmail("C1", "New@example.com"),
            [TestChanges.Customer("C1", TestChanges.At(2026, 1, 1), "New@example.com", source: line)])!;

        move.Left.Should().Be(MailboxKeys.Of("old@example.com"));
        move.Joined.Should().Be(MailboxKeys.Of("new@example.com"));
        move.JoinedBy.Should().Be(line);
        MailboxRules.Move("same@example.com", WithEmail("C1", "SAME@example.com"), [TestChanges.Customer("C1", TestChanges.At(2026, 1, 1), "SAME@example.com")])
            .Should().BeNull("a change of case is the same mailbox, and nothing was said");
    }

    private static CustomerProfile WithEmail(string id, string email) => new(id) { Email = email };

    [Theory]
    [InlineData(ConsentStatus.OptOut, true)]
    [InlineData(ConsentStatus.SpamReport, true)]
    [InlineData(ConsentStatus.Bounced, false)]
    [InlineData(ConsentStatus.OptIn, false)]
    public void A_customer_who_refused_before_getting_an_address_brings_the_refusal_but_not_an_old_bounce(ConsentStatus status, bool carried)
    {
        var customer = WithEmail("C1", "new@example.com").WithConsent(ConsentChannels.Email, status, OptedOutAt);

        var move = MailboxRules.Move("old@example.com", customer, [TestChanges.Customer("C1", TestChanges.At(2026, 3, 1), "new@example.com")])!;

        move.Statements.Should().HaveCount(carried ? 1 : 0);
        if (carried) move.Statements[0].Should().Match<ConsentChange>(c => c.Status == status && c.OccurredAt == OptedOutAt && c.CustomerId == "C1");
    }

    [Theory]
    [InlineData(ConsentStatus.OptOut, ConsentOrigin.ConsentEvent, true)]
    [InlineData(ConsentStatus.Bounced, ConsentOrigin.ConsentEvent, true)]
    [InlineData(ConsentStatus.SpamReport, ConsentOrigin.ConsentEvent, true)]
    [InlineData(ConsentStatus.OptOut, ConsentOrigin.UnsubscribeGroup, true)]
    [InlineData(ConsentStatus.OptIn, ConsentOrigin.UnsubscribeGroup, true)]
    [InlineData(ConsentStatus.OptIn, ConsentOrigin.ConsentEvent, false)]
    public void Refusals_and_the_providers_group_apply_to_the_mailbox_and_an_opt_in_stays_with_its_record(ConsentStatus status, ConsentOrigin origin, bool applies)
    {
        var change = TestChanges.Consent("C1", status, OptedOutAt) with { Origin = origin };

        var move = MailboxRules.Move("ada@example.com", WithEmail("C1", "ada@example.com"), [change]);

        (move?.Statements.Count ?? 0).Should().Be(applies ? 1 : 0);
    }

    [Fact]
    public void Another_holder_owes_a_refusal_made_through_one_record_until_it_has_it()
    {
        var key = MailboxKeys.Of("ada@example.com")!;
        var mailbox = MailboxRules.Apply(MailboxRules.Join(new Mailbox(key, []), "C2"),
            MailboxRules.Move(null, WithEmail("C1", "ada@example.com"), [TestChanges.Consent("C1", ConsentStatus.SpamReport, OptedOutAt, email: "ada@example.com")])!);
        var other = TestProfiles.Customer("C2");

        mailbox.Holders.Should().Equal("C1", "C2");
        var owed = MailboxRules.Owed(mailbox, other, TestChanges.FileA);
        owed.Should().ContainSingle().Which.Should().Match<ConsentChange>(c => c.CustomerId == "C2" && c.Status == ConsentStatus.SpamReport && c.OccurredAt == OptedOutAt);
        owed[0].ConsentSource.Should().Be("through customer C1, same address: test");
        ProfileMerger.Apply(other, owed[0]);
        MailboxRules.Owed(mailbox, other, TestChanges.FileA).Should().BeEmpty("passing it on twice changes nothing");
        MailboxRules.Owed(mailbox, TestProfiles.Customer("C1"), TestChanges.FileA).Should().BeEmpty("it came through C1 itself");
    }

    [Fact]
    public void A_holders_own_newer_opt_in_stands_and_an_older_refusal_never_replaces_a_newer_one()
    {
        var mailbox = new Mailbox("k", ["C1", "C2"], Refusal: new MailboxStatement(ConsentStatus.OptOut, OptedOutAt, "test", "C1"));

        MailboxRules.Owed(mailbox, TestProfiles.Customer("C2").WithConsent(ConsentChannels.Email, ConsentStatus.OptIn, OptedOutAt.Plus(Duration.FromDays(1))), TestChanges.FileA)
            .Should().BeEmpty("the customer opted in again after the refusal, through their own record");
        var newer = MailboxRules.Record(mailbox, TestChanges.Consent("C2", ConsentStatus.Bounced, OptedOutAt.Plus(Duration.FromDays(2))));
        newer.Refusal!.Status.Should().Be(ConsentStatus.Bounced);
        MailboxRules.Record(newer, TestChanges.Consent("C1", ConsentStatus.OptOut, OptedOutAt)).Should().Be(newer, "the newest refusal is kept, whatever order they arrive in");
    }
}
