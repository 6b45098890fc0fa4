using Automation.Delivery.Feedback;
using Automation.Messages;
using Automation.Planning.Policies;
using Automation.Profiles.Changes;
using Automation.Profiles.Model;
using Automation.Profiles.Storage;
using Automation.Testing;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Delivery.Tests;

/// <summary>
/// One mailbox on several customer records, as the mail provider sees it: one message a day, refusals
/// through any record for all of them, one frequency cap. Each store backend runs the same facts.
/// </summary>
[Trait(Peers.Trait, Peers.Value)]
public abstract class SharedAddressTests : IDisposable
{
    private static readonly Instant Reported = Pipeline.SendTime.Plus(Duration.FromHours(2));
    private readonly TempFolder _folder = new();

    protected abstract Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync(TempFolder folder);

    private async Task<Pipeline> NewPipeline(params (string Key, string Value)[] settings) => new(_folder, await StoreSettingsAsync(_folder), settings);

    /// <summary>Customers C000000.. with the addresses given, in the order given; the others get an address of their own.</summary>
    private static Func<string, string> Addresses(params string[] addresses) =>
        id => int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture) is var i && i < addresses.Length ? addresses[i] : $"own.{id.ToLowerInvariant()}@example.com";

    [Fact]
    public async Task Records_at_one_address_get_one_message_a_day_whatever_the_case_or_spaces_even_from_two_plans_at_once()
    {
        await using var pipeline = await NewPipeline();
        await pipeline.AddCelebratingCustomersAsync(5, emailOf: Addresses("Ada.Shared@Example.com", "  ada.shared@example.com ", "ADA.SHARED@EXAMPLE.COM"));

        var dryRun = await pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: true);
        dryRun.Planned.Should().Be(3, "a dry run counts what the real plan will do");
        dryRun.Suppressed.Should().Equal(new Dictionary<string, long> { [ReasonCodes.SharedAddress.Value] = 2 });

        var plans = await Task.WhenAll(
            Task.Run(() => pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false)),
            Task.Run(() => pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false)));
        pipeline.Clock.Now = Pipeline.SendTime;
        var delivered = await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);

        plans.Sum(p => p.Planned).Should().Be(3, "one message for the shared address and one for each of the two others");
        var log = await pipeline.AllMessagesAsync(5);
        var shared = log.Where(m => m.CustomerId.Value is "C000000" or "C000001" or "C000002").ToList();
        shared.Should().HaveCount(3);
        var sent = shared.Should().ContainSingle(m => m.Status == MessageStatus.Sent).Subject;
        shared.Where(m => m != sent).Should().OnlyContain(m => m.Status == MessageStatus.Suppressed && m.ReasonCode == ReasonCodes.SharedAddress)
            .And.OnlyContain(m => m.Detail!.StartsWith($"customer {sent.CustomerId} has the same address", StringComparison.Ordinal));
        delivered.Sent.Should().Be(3);
        Directory.GetFiles(pipeline.OutboxDirectory, "*.eml").Should().HaveCount(3);

        // Two plans at once each plan sharing customers in id order; which one records first decides, so either record may win here.
        var again = await pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false);
        again.Planned.Should().Be(0, "planning the day again makes no message for the others");
    }

    [Fact]
    public async Task One_plan_gives_the_address_s_day_to_the_lowest_customer_id_with_a_message_to_give()
    {
        await using var pipeline = await NewPipeline();
        await pipeline.AddCelebratingCustomersAsync(600, emailOf: id => id is "C000007" or "C000300" or "C000599" ? "Same.Box@example.com" : $"own.{id}@example.com");

        var plan = await pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false);

        plan.Planned.Should().Be(598);
        plan.Suppressed.Should().Equal(new Dictionary<string, long> { [ReasonCodes.SharedAddress.Value] = 2 });
        (await pipeline.Log.GetCustomerMessagesAsync(new("C000007"))).Single().Status.Should().Be(MessageStatus.Planned);
        foreach (var other in new[] { "C000300", "C000599" })
        {
            (await pipeline.Log.GetCustomerMessagesAsync(new(other))).Single().Detail.Should()
                .Be("customer C000007 has the same address and got this occasion's birthday message (planned for 2026-06-15, planned); one message per address per occasion",
                    "the three records are one person: the same birthday");
        }
    }

    [Fact]
    public async Task An_unsubscribe_bounce_or_spam_report_through_one_message_suppresses_every_record_at_the_address_and_any_record_that_gets_it_later()
    {
        // Through SendGrid, whose reports name the message: the outbox has no provider to report.
        await using var sendGrid = await FakeSendGrid.StartAsync();
        await using var pipeline = await NewPipeline(
            ("Automation:SendGrid:ApiKey", FakeSendGrid.ApiKey), ("Automation:SendGrid:BaseUrl", sendGrid.BaseUrl),
            ("Automation:SendGrid:UnsubscribeGroupId", "4242"), ("Automation:SendGrid:Templates:birthday", "d-0123456789abcdef0123456789abcdef"),
            ("Automation:SendGrid:RetryBaseDelaySeconds", "0.01"), ("Automation:SendGrid:RequestTimeoutSeconds", "2"));
        await pipeline.AddCelebratingCustomersAsync(6, emailOf: Addresses(
            "pair.a@example.com", "PAIR.A@example.com", "pair.b@example.com", " pair.b@example.com", "pair.c@example.com", "Pair.C@Example.Com"));
        await pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false);
        pipeline.Clock.Now = Pipeline.SendTime;
        (await pipeline.Delivery.DeliverAsync(Pipeline.Birthday)).Sent.Should().Be(3);
        var sent = (await pipeline.AllMessagesAsync(6)).Where(m => m.Status == MessageStatus.Sent).ToDictionary(m => int.Parse(m.CustomerId.Value[1..]) / 2);

        var summary = await pipeline.Feedback.ApplyAsync(
        [
            new DeliveryReport(sent[0].MessageId, DeliveryEventTypes.Unsubscribe, Reported, "e1", null),
            new DeliveryReport(sent[1].MessageId, DeliveryEventTypes.Bounce, Reported, "e2", "550 5.1.1 unknown user"),
            new DeliveryReport(sent[2].MessageId, DeliveryEventTypes.SpamReport, Reported, "e3", null),
        ], "batch-1");

        summary.ConsentChanges.Values.Sum().Should().Be(3);
        var expected = new[] { ReasonCodes.OptedOut, ReasonCodes.Bounced, ReasonCodes.SpamReport };
        for (var i = 0; i < 6; i++)
        {
            var profile = (await pipeline.Store.GetAsync($"C{i:D6}"))!;
            var check = Contactability.Check(profile);
            check.Should().NotBeNull($"customer C{i:D6} shares the address of a message that was refused");
            check!.Value.Code.Should().Be(expected[i / 2]);
            if (profile.CustomerId != sent[i / 2].CustomerId.Value) check.Value.Detail.Should().Contain($"through customer {sent[i / 2].CustomerId}, same address");
        }

        // A record that gets the address afterwards, with a consent older than the refusal, is suppressed as well.
        await pipeline.Store.ApplyAsync(
        [
            new CustomerUpdate("C000009", new LineSource("sha256:later", 2), Reported.Plus(Duration.FromDays(1))) { Email = " Pair.A@Example.com" },
            TestChanges.Consent("C000009", ConsentStatus.OptIn, Instant.FromUtc(2026, 1, 2, 0, 0)),
        ]);
        Contactability.Check((await pipeline.Store.GetAsync("C000009"))!)!.Value.Code.Should().Be(ReasonCodes.OptedOut);
    }

    [Fact]
    public async Task An_opt_out_in_a_consents_export_reaches_the_other_records_and_ingestion_warns_with_both_ids()
    {
        await using var pipeline = await NewPipeline();
        var customers = _folder.File("customers.csv");
        await File.WriteAllTextAsync(customers,
            "customer_id,email,first_name,birth_date,time_zone,updated_at\n" +
            "S1,Sam.Shared@example.com,Sam,1990-06-15,Europe/Rome,2026-01-01T00:00:00Z\n" +
            "S2,own.s2@example.com,Sue,1991-06-15,Europe/Rome,2026-01-01T00:00:00Z\n" +
            "S3, sam.shared@EXAMPLE.com ,Sam,1990-06-15,Europe/Rome,2026-01-01T00:00:00Z\n");
        var consents = _folder.File("consents.csv");
        await File.WriteAllTextAsync(consents,
            "customer_id,email,channel,status,occurred_at,source\n" +
            "S1,,email,opt_in,2026-01-02T00:00:00Z,signup\n" +
            "S2,,email,opt_in,2026-01-02T00:00:00Z,signup\n" +
            "S3,,email,opt_in,2026-01-02T00:00:00Z,signup\n" +
            "S1,,email,opt_out,2026-03-01T00:00:00Z,preference_center\n");

        var ingested = await pipeline.IngestAsync(customers);
        await pipeline.IngestAsync(consents);
        var plan = await pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false);

        ingested.Warnings.Should().BeGreaterThanOrEqualTo(1);
        var warnings = File.ReadAllLines(customers + ".rejected.csv").Where(l => l.Contains("same address", StringComparison.Ordinal)).ToList();
        // The store may merge S1 and S3 in either order: the warning is on the line of whichever came second.
        var warning = warnings.Should().ContainSingle().Subject;
        warning.Should().Match(w => (w.StartsWith("4,warning,email,", StringComparison.Ordinal) && w.Contains("customer S3 has the same address as customer S1", StringComparison.Ordinal))
            || (w.StartsWith("2,warning,email,", StringComparison.Ordinal) && w.Contains("customer S1 has the same address as customer S3", StringComparison.Ordinal)));
        warning.Should().NotContainEquivalentOf("sam.shared", "the report names customers, not their address");
        plan.Planned.Should().Be(1, "S2 alone: S1 opted out, and S3 shares S1's address");
        var s3 = Contactability.Check((await pipeline.Store.GetAsync("S3"))!)!.Value;
        s3.Code.Should().Be(ReasonCodes.OptedOut);
        s3.Detail.Should().Contain("through customer S1, same address: preference_center");
    }

    [Fact]
    public async Task An_address_that_becomes_shared_between_plan_and_delivery_still_gets_one_message_that_day()
    {
        await using var pipeline = await NewPipeline();
        await pipeline.AddCelebratingCustomersAsync(3);
        (await pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false)).Planned.Should().Be(3);
        await pipeline.Store.ApplyAsync([new CustomerUpdate("C000002", new LineSource("sha256:moved", 2), Instant.FromUtc(2026, 6, 15, 5, 0)) { Email = "Customer.C000000@example.com" }]);
        pipeline.Clock.Now = Pipeline.SendTime;

        var delivered = await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);

        delivered.Sent.Should().Be(2);
        delivered.Suppressed.Should().Equal(new Dictionary<string, long> { [ReasonCodes.SharedAddress.Value] = 1 });
        var log = await pipeline.AllMessagesAsync(3);
        log.Where(m => m.CustomerId.Value is "C000000" or "C000002").Should().ContainSingle(m => m.Status == MessageStatus.Sent)
            .And.ContainSingle(m => m.Status == MessageStatus.Suppressed && m.ReasonCode == ReasonCodes.SharedAddress);
    }

    [Fact]
    public async Task A_customer_who_opted_out_brings_the_opt_out_to_an_address_they_move_to()
    {
        await using var pipeline = await NewPipeline();
        await pipeline.AddCelebratingCustomersAsync(2);
        await pipeline.Store.ApplyAsync([TestChanges.Consent("C000000", ConsentStatus.OptOut, Instant.FromUtc(2026, 3, 1, 0, 0))]);

        await pipeline.Store.ApplyAsync([new CustomerUpdate("C000000", new LineSource("sha256:moved", 2), Instant.FromUtc(2026, 4, 1, 0, 0)) { Email = "CUSTOMER.C000001@example.com" }]);

        var other = Contactability.Check((await pipeline.Store.GetAsync("C000001"))!)!.Value;
        other.Code.Should().Be(ReasonCodes.OptedOut);
        other.Detail.Should().Contain("through customer C000000, same address");
    }

    [Fact]
    public async Task The_frequency_cap_counts_the_messages_to_the_address_across_records()
    {
        await using var pipeline = await NewPipeline(("Automation:Policies:FrequencyCap:MaxMessages", "1"), ("Automation:Policies:FrequencyCap:WindowDays", "7"));
        await pipeline.AddCelebratingCustomersAsync(1, emailOf: Addresses("cap.shared@example.com"));
        await pipeline.Store.ApplyAsync(
        [
            new CustomerUpdate("C000001", new LineSource("sha256:customers", 9), Instant.FromUtc(2026, 1, 1, 0, 0))
            {
                Email = "CAP.shared@example.com", FirstName = "Ada", BirthDate = new LocalDate(1990, 6, 16), TimeZone = "Europe/Rome", Locale = "it-IT",
            },
            TestChanges.Consent("C000001", ConsentStatus.OptIn, Instant.FromUtc(2026, 1, 2, 0, 0)),
        ]);

        (await pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false)).Planned.Should().Be(1);
        pipeline.Clock.Now = Pipeline.SendTime.Plus(Duration.FromHours(20));
        var nextDay = await pipeline.Planning.PlanAsync(Pipeline.Birthday.PlusDays(1), dryRun: false);

        nextDay.Planned.Should().Be(0);
        nextDay.Suppressed.Should().Equal(new Dictionary<string, long> { [ReasonCodes.FrequencyCap.Value] = 1 });
        var capped = (await pipeline.Log.GetCustomerMessagesAsync(new("C000001"))).Single();
        capped.Detail.Should().Be("1 messages to this address (shared with customer C000000) in the 7 days to 2026-06-16; the cap is 1");
    }

    public void Dispose() => _folder.Dispose();
}

[Trait(Peers.Trait, Peers.Value)]
public sealed class SqliteSharedAddressTests : SharedAddressTests
{
    protected override Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync(TempFolder folder) => TestStores.SqliteAsync(folder);
}

[Trait(Peers.Trait, Peers.Value)]
public sealed class CosmosSharedAddressTests : SharedAddressTests
{
    protected override Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync(TempFolder folder) => TestStores.CosmosAsync();
}
