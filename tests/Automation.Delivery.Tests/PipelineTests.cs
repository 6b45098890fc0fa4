using Automation.Messages;
using Automation.Planning.Policies;
using Automation.Profiles.Model;
using Automation.Profiles.Storage;
using Automation.Testing;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Delivery.Tests;

/// <summary>Planning and delivery end to end; each store backend runs the same facts.</summary>
[Trait(Peers.Trait, Peers.Value)]
public abstract class PipelineTests : IDisposable
{
    private readonly TempFolder _folder = new();

    /// <summary>The settings that select and locate the backend under test.</summary>
    protected abstract Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync(TempFolder folder);

    private async Task<Pipeline> NewPipeline(params (string Key, string Value)[] settings) =>
        new(_folder, await StoreSettingsAsync(_folder), settings);

    [Fact]
    public async Task Planning_the_same_day_twice_makes_no_second_message()
    {
        await using var pipeline = await NewPipeline();
        await pipeline.AddCelebratingCustomersAsync(50);

        var first = await pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false);
        var second = await pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false);

        first.Planned.Should().Be(50);
        first.ByTrigger.Should().Equal(new Dictionary<string, long> { ["birthday"] = 50 });
        second.Planned.Should().Be(0);
        second.AlreadyPlanned.Should().Be(50);
        (await pipeline.AllMessagesAsync(50)).Should().HaveCount(50).And.OnlyContain(m => m.Status == MessageStatus.Planned);
    }

    [Fact]
    public async Task Two_plans_running_at_once_make_each_message_once()
    {
        await using var pipeline = await NewPipeline();
        await pipeline.AddCelebratingCustomersAsync(2_000);

        var plans = await Task.WhenAll(
            Task.Run(() => pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false)),
            Task.Run(() => pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false)));

        plans.Sum(p => p.Planned).Should().Be(2_000);
        plans.Sum(p => p.AlreadyPlanned).Should().Be(2_000);
        var messages = await pipeline.AllMessagesAsync(2_000);
        messages.Select(m => m.MessageId).Should().OnlyHaveUniqueItems().And.HaveCount(2_000);
    }

    /// <summary>
    /// A template edited between plan and delivery so that a customer with a first name loses the link:
    /// the message is checked as rendered, rejected with the reason, and never handed to the sender.
    /// </summary>
    [Fact]
    public async Task A_message_whose_rendered_HTML_lost_the_unsubscribe_link_is_rejected_with_the_reason_and_never_sent()
    {
        var store = await StoreSettingsAsync(_folder);
        await using (var planning = new Pipeline(_folder, store))
        {
            await planning.AddCelebratingCustomersAsync(2);
            (await planning.Planning.PlanAsync(Pipeline.Birthday, dryRun: false)).Planned.Should().Be(2);
        }

        var templates = _folder.File("edited-templates");
        foreach (var file in Directory.GetFiles(Path.Combine(SharedData.RepositoryRoot, "samples", "templates"), "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(templates, Path.GetRelativePath(Path.Combine(SharedData.RepositoryRoot, "samples", "templates"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        File.WriteAllText(Path.Combine(templates, "birthday", "it", "html.hbs"), "<p>Auguri!</p>{{#unless first_name}}<a href=\"{{unsubscribe_url}}\">Disiscriviti</a>{{/unless}}");
        await using var delivering = new Pipeline(_folder, store, ("Automation:Personalization:TemplatesDirectory", templates));
        delivering.Clock.Now = Pipeline.SendTime;

        var delivered = await delivering.Delivery.DeliverAsync(Pipeline.Birthday);

        delivered.Sent.Should().Be(0);
        delivered.Rejected.Should().Be(2);
        Directory.Exists(delivering.OutboxDirectory).Should().BeFalse("nothing reached the outbox");
        var messages = await delivering.AllMessagesAsync(2);
        messages.Should().OnlyContain(m => m.Status == MessageStatus.Rejected && m.ReasonCode == ReasonCodes.NoUnsubscribeLink);
        messages[0].Detail.Should().Be($"The birthday/it template: the rendered message lost its unsubscribe link {TestLinks.UrlFor(messages[0].MessageId.Value)}: the HTML part has no link to it.");
    }

    [Fact]
    public async Task A_message_that_waited_past_its_days_send_window_is_not_sent_on_another_day()
    {
        await using var pipeline = await NewPipeline();
        await pipeline.AddCelebratingCustomersAsync(2);
        await pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false);
        // 20:00 in Rome: the window of the birthday has closed before any delivery ran.
        pipeline.Clock.Now = Instant.FromUtc(2026, 6, 15, 18, 0);

        var delivered = await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);

        delivered.Sent.Should().Be(0);
        delivered.Suppressed.Should().Equal(new Dictionary<string, long> { [ReasonCodes.SendWindowPassed.Value] = 2 });
        (await pipeline.AllMessagesAsync(2)).Should().OnlyContain(m => m.Status == MessageStatus.Suppressed &&
            m.Detail!.StartsWith("delivery came after the send window 09:00–20:00 of 2026-06-15 in Europe/Rome closed (2026-06-15 20:00 there)"));
    }

    [Fact]
    public async Task The_outbox_delivers_to_a_non_ASCII_local_part_with_SMTPUTF8()
    {
        await using var pipeline = await NewPipeline();
        await pipeline.AddCelebratingCustomersAsync(1, emailOf: id => $"jörg.{id.ToLowerInvariant()}@example.de");
        (await pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false)).Planned.Should().Be(1);
        pipeline.Clock.Now = Pipeline.SendTime;

        var delivered = await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);

        delivered.Sent.Should().Be(1);
        File.ReadLines(Directory.GetFiles(pipeline.OutboxDirectory, "*.eml").Single()).Should().Contain(line => line.StartsWith("To:") && line.Contains("jörg.c000000@example.de"),
            "the address is written as it is, in UTF-8 (RFC 6532), not mangled");
    }

    [Fact]
    public async Task An_address_the_channel_refuses_for_good_is_rejected_once_and_never_tried_again_with_no_address_in_the_detail()
    {
        await using var pipeline = await NewPipeline();
        // Valid as the export format reads it, refused by System.Net.Mail (two dots in a row are not a dot-atom).
        await pipeline.AddCelebratingCustomersAsync(1, emailOf: id => $"a..{id.ToLowerInvariant()}@example.com");
        await pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false);
        pipeline.Clock.Now = Pipeline.SendTime;

        var first = await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);
        var second = await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);

        first.Rejected.Should().Be(1);
        first.Failed.Should().Be(0, "a message that can never be written is not a failure to try again on every run");
        second.Rejected.Should().Be(0);
        second.Failed.Should().Be(0);
        var message = (await pipeline.AllMessagesAsync(1)).Should().ContainSingle().Subject;
        message.Status.Should().Be(MessageStatus.Rejected);
        message.Detail.Should().NotContain("@");
    }

    [Fact]
    public async Task A_failed_send_is_tried_again_for_waiting_delivery_only_once_it_has_been_left_alone_for_the_sending_timeout()
    {
        var store = await StoreSettingsAsync(_folder);
        await using var pipeline = new Pipeline(_folder, store, services => services.Decorate<IMessageSender>((_, inner) => new FailingOnce(inner)));
        await pipeline.AddCelebratingCustomersAsync(1);
        await pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false);
        pipeline.Clock.Now = Pipeline.SendTime;
        (await pipeline.Delivery.DeliverAsync(Pipeline.Birthday)).Failed.Should().Be(1);

        pipeline.Clock.Now = Pipeline.SendTime + Duration.FromMinutes(14);
        var early = await pipeline.Delivery.DeliverWaitingAsync(Pipeline.Birthday, Pipeline.Birthday);
        pipeline.Clock.Now = Pipeline.SendTime + Duration.FromMinutes(15);
        var settled = await pipeline.Delivery.DeliverWaitingAsync(Pipeline.Birthday, Pipeline.Birthday);

        early.Sent.Should().Be(0, "the queue may still hand the failed batch over again within the sending timeout");
        settled.Sent.Should().Be(1);
    }

    /// <summary>The channel refuses the first batch (a full disk, an outage) and takes the rest.</summary>
    private sealed class FailingOnce(IMessageSender inner) : IMessageSender
    {
        private bool _failed;

        public Duration? SchedulingHorizon => inner.SchedulingHorizon;

        public async Task<int> SendAsync(IReadOnlyList<OutgoingMessage> batch, ISendJournal journal, CancellationToken cancellationToken = default)
        {
            if (_failed) return await inner.SendAsync(batch, journal, cancellationToken);
            _failed = true;
            await journal.RecordAsync(batch.Select(m => new SendOutcome(m.Message.MessageId, SendResult.Failed, "the disk is full")).ToList(), cancellationToken);
            return 0;
        }
    }

    [Fact]
    public async Task A_dry_run_records_nothing()
    {
        await using var pipeline = await NewPipeline();
        await pipeline.AddCelebratingCustomersAsync(10);

        var dry = await pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: true);

        dry.Planned.Should().Be(10);
        (await pipeline.AllMessagesAsync(10)).Should().BeEmpty();
    }

    [Fact]
    public async Task Delivery_sends_each_planned_message_once_and_honours_an_opt_out_received_in_between()
    {
        await using var pipeline = await NewPipeline();
        await pipeline.AddCelebratingCustomersAsync(3);
        await pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false);
        await pipeline.Store.ApplyAsync([TestChanges.Consent("C000001", ConsentStatus.OptOut, Instant.FromUtc(2026, 6, 15, 5, 0))]);
        var early = await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);
        pipeline.Clock.Now = Pipeline.SendTime;

        var delivered = await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);
        var again = await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);

        early.Waiting.Should().Be(3, "before 09:00 in Rome nothing is due, and the outbox takes a message at its send time");
        early.Sent.Should().Be(0);
        delivered.Sent.Should().Be(2);
        delivered.Suppressed.Should().Equal(new Dictionary<string, long> { [ReasonCodes.OptedOut.Value] = 1 });
        again.Sent.Should().Be(0);
        Directory.GetFiles(pipeline.OutboxDirectory, "*.eml").Should().HaveCount(2);
        var log = await pipeline.AllMessagesAsync(3);
        log.Select(m => (m.CustomerId.Value, m.Status)).Should().BeEquivalentTo(new[]
        {
            ("C000000", MessageStatus.Sent), ("C000001", MessageStatus.Suppressed), ("C000002", MessageStatus.Sent),
        });
        log.Single(m => m.Status == MessageStatus.Suppressed).ReasonCode.Should().Be(ReasonCodes.OptedOut);
        log.First(m => m.Status == MessageStatus.Sent).Detail.Should().StartWith("outbox/m");
    }

    [Fact]
    public async Task A_decision_suppressed_for_want_of_consent_becomes_a_message_once_consent_arrives()
    {
        await using var pipeline = await NewPipeline(("Automation:Triggers:Birthday:DaysBefore", "1"));
        await pipeline.AddCelebratingCustomersAsync(1);
        await pipeline.Store.ApplyAsync([TestChanges.Consent("C000000", ConsentStatus.OptOut, Instant.FromUtc(2026, 3, 1, 0, 0))]);
        pipeline.Clock.Now = Instant.FromUtc(2026, 6, 14, 4, 0);

        var suppressed = await pipeline.Planning.PlanAsync(Pipeline.Birthday.PlusDays(-1), dryRun: false);
        await pipeline.Store.ApplyAsync([TestChanges.Consent("C000000", ConsentStatus.OptIn, Instant.FromUtc(2026, 6, 14, 6, 0))]);
        var planned = await pipeline.Planning.PlanAsync(Pipeline.Birthday.PlusDays(-1), dryRun: false);

        suppressed.Suppressed.Should().Equal(new Dictionary<string, long> { [ReasonCodes.OptedOut.Value] = 1 });
        planned.Planned.Should().Be(1);
        (await pipeline.Log.GetCustomerMessagesAsync(new("C000000"))).Should().ContainSingle().Which.Status.Should().Be(MessageStatus.Planned);
    }

    public void Dispose()
    {
        _folder.Dispose();
        GC.SuppressFinalize(this);
    }
}

[Trait(Peers.Trait, Peers.Value)]
public sealed class SqlitePipelineTests : PipelineTests
{
    protected override Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync(TempFolder folder) => TestStores.SqliteAsync(folder);
}

[Trait(Peers.Trait, Peers.Value)]
public sealed class CosmosPipelineTests : PipelineTests
{
    protected override Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync(TempFolder folder) => TestStores.CosmosAsync();
}
