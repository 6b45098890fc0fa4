using System.Diagnostics;
using System.Text.Json;
using Automation.Delivery.SendGrid;
using Automation.Messages;
using Automation.Planning.Policies;
using Automation.Profiles.Changes;
using Automation.Profiles.Storage;
using Automation.Testing;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Xunit;

namespace Automation.Delivery.Tests.SendGrid;

/// <summary>
/// Delivery through SendGrid, against a fake SendGrid on 127.0.0.1: which messages reach it, how many
/// times, and what the message log says afterwards. Each store backend runs the same facts.
/// </summary>
[Trait(Peers.Trait, Peers.Value)]
public abstract class SendGridDeliveryTests : IAsyncLifetime
{
    public const string BirthdayTemplate = "d-0123456789abcdef0123456789abcdef";
    private readonly TempFolder _folder = new();
    private IReadOnlyDictionary<string, string?> _store = new Dictionary<string, string?>();

    protected FakeSendGrid SendGrid { get; private set; } = null!;

    protected abstract Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync(TempFolder folder);

    public async Task InitializeAsync()
    {
        SendGrid = await FakeSendGrid.StartAsync();
        _store = await StoreSettingsAsync(_folder);
    }

    /// <summary>A pipeline that sends birthday mail with a dynamic template, on this test's store.</summary>
    private Pipeline NewPipeline(Action<IServiceCollection>? customize = null, params (string Key, string Value)[] settings) =>
        new(_folder, _store, customize, [.. SendGridSettings(), .. settings]);

    private (string, string)[] SendGridSettings() =>
    [
        ("Automation:SendGrid:ApiKey", FakeSendGrid.ApiKey),
        ("Automation:SendGrid:BaseUrl", SendGrid.BaseUrl),
        ("Automation:SendGrid:UnsubscribeGroupId", "4242"),
        ("Automation:SendGrid:Templates:birthday", BirthdayTemplate),
        ("Automation:SendGrid:RetryBaseDelaySeconds", "0.01"),
        ("Automation:SendGrid:RequestTimeoutSeconds", "2"),
    ];

    private static async Task<Pipeline> PlannedAsync(Pipeline pipeline, int customers)
    {
        await pipeline.AddCelebratingCustomersAsync(customers);
        await pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false);
        return pipeline;
    }

    [Fact]
    public async Task An_address_SendGrid_cannot_take_is_never_planned_nor_sent_and_the_reason_says_why()
    {
        await using var pipeline = NewPipeline();
        await pipeline.AddCelebratingCustomersAsync(2, emailOf: id => id == "C000000" ? "李雷@example.cn" : $"customer.{id.ToLowerInvariant()}@example.com");

        var plan = await pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false);
        var delivered = await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);

        plan.Planned.Should().Be(1);
        plan.Suppressed.Should().Equal(new Dictionary<string, long> { [ReasonCodes.UndeliverableAddress.Value] = 1 });
        delivered.Sent.Should().Be(1);
        SendGrid.AcceptedMessageIds.Should().ContainSingle();
        var suppressed = (await pipeline.Log.GetCustomerMessagesAsync(new("C000000"))).Should().ContainSingle().Subject;
        suppressed.Detail.Should().Be("the address's local part (before the @) is not ASCII, and SendGrid cannot deliver to such an address (it needs SMTPUTF8)");
    }

    [Fact]
    public async Task A_message_planned_for_the_outbox_that_SendGrid_cannot_take_is_suppressed_at_delivery_not_failed_forever()
    {
        await using (var outbox = new Pipeline(_folder, _store))
        {
            await outbox.AddCelebratingCustomersAsync(1, emailOf: _ => "jörg@example.de");
            (await outbox.Planning.PlanAsync(Pipeline.Birthday, dryRun: false)).Planned.Should().Be(1, "the outbox delivers to it");
        }

        await using var pipeline = NewPipeline();
        var delivered = await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);

        delivered.Suppressed.Should().Equal(new Dictionary<string, long> { [ReasonCodes.UndeliverableAddress.Value] = 1 });
        SendGrid.Requests.Should().BeEmpty();
        (await pipeline.Delivery.DeliverAsync(Pipeline.Birthday)).Suppressed.Should().BeEmpty("a suppressed message is not picked up again");
    }

    [Fact]
    public async Task Messages_of_one_template_and_send_time_go_in_one_request_with_a_personalization_each()
    {
        await using var pipeline = await PlannedAsync(NewPipeline(), 5);

        var summary = await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);

        summary.Sent.Should().Be(5);
        summary.ProviderRequests.Should().Be(1);
        summary.RequestsPerThousand.Should().Be(200);
        var request = SendGrid.Requests.Should().ContainSingle().Subject;
        request.Authorization.Should().Be("Bearer " + FakeSendGrid.ApiKey);
        var body = request.Body;
        body.GetProperty("template_id").GetString().Should().Be(BirthdayTemplate);
        body.TryGetProperty("content", out _).Should().BeFalse("a dynamic template brings its own content");
        body.GetProperty("categories").EnumerateArray().Select(c => c.GetString()).Should().Equal("birthday");
        body.GetProperty("asm").GetProperty("group_id").GetInt32().Should().Be(4242);
        body.GetProperty("from").GetProperty("email").GetString().Should().Be("news@shop.example.com");
        // 09:00 in Rome on the birthday, three hours after the clock's 04:00 UTC: scheduled at SendGrid.
        body.GetProperty("send_at").GetInt64().Should().Be(Instant.FromUtc(2026, 6, 15, 7, 0).ToUnixTimeSeconds());
        body.TryGetProperty("mail_settings", out _).Should().BeFalse();

        var log = await pipeline.AllMessagesAsync(5);
        var personalizations = body.GetProperty("personalizations").EnumerateArray().ToList();
        personalizations.Should().HaveCount(5);
        foreach (var personalization in personalizations)
        {
            var args = personalization.GetProperty("custom_args").EnumerateObject().ToList();
            args.Should().ContainSingle("custom args carry our message id and nothing personal").Which.Name.Should().Be("automation_message_id");
            var message = log.Single(m => m.MessageId.Value == args[0].Value.GetString());
            personalization.GetProperty("to")[0].GetProperty("email").GetString().Should().Be($"customer.{message.CustomerId.Value.ToLowerInvariant()}@example.com");
            personalization.GetProperty("headers").GetProperty("List-Unsubscribe").GetString().Should().Be($"<{TestLinks.UrlFor(message.MessageId.Value)}>");
            personalization.GetProperty("headers").GetProperty("List-Unsubscribe-Post").GetString().Should().Be("List-Unsubscribe=One-Click");
            var data = personalization.GetProperty("dynamic_template_data");
            data.GetProperty("first_name").GetString().Should().Be("Ada");
            data.GetProperty("unsubscribe_url").GetString().Should().Be(TestLinks.UrlFor(message.MessageId.Value));
        }

        log.Should().OnlyContain(m => m.Status == MessageStatus.Sent && m.Detail!.StartsWith("accepted by SendGrid (fake-1)"));
        (await pipeline.Delivery.DeliverAsync(Pipeline.Birthday)).ProviderRequests.Should().Be(0);
        SendGrid.AcceptedMessageIds.Should().OnlyHaveUniqueItems().And.HaveCount(5);
    }

    [Fact]
    public async Task Locally_rendered_messages_carry_their_own_content_one_request_each()
    {
        await using var pipeline = NewPipeline(null, ("Automation:SendGrid:Templates:birthday", ""));
        await PlannedAsync(pipeline, 2);

        var summary = await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);

        summary.Sent.Should().Be(2);
        SendGrid.Requests.Should().HaveCount(2);
        foreach (var body in SendGrid.Accepted)
        {
            body.TryGetProperty("template_id", out _).Should().BeFalse();
            body.GetProperty("subject").GetString().Should().NotBeNullOrWhiteSpace();
            var content = body.GetProperty("content").EnumerateArray().ToList();
            content.Select(c => c.GetProperty("type").GetString()).Should().Equal("text/plain", "text/html");
            content[1].GetProperty("value").GetString().Should().Contain("Ada");
        }
    }

    [Fact]
    public async Task A_batch_refused_for_one_bad_recipient_sends_the_others_and_records_that_ones_error()
    {
        await using var pipeline = await PlannedAsync(NewPipeline(), 3);
        SendGrid.RefusedAddresses["customer.c000001@example.com"] = true;

        var summary = await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);
        var again = await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);

        summary.Sent.Should().Be(2);
        summary.Rejected.Should().Be(1);
        SendGrid.Requests.Select(r => (r.Status, r.Body.GetProperty("personalizations").GetArrayLength())).Should().Equal((400, 3), (202, 2));
        again.ProviderRequests.Should().Be(0, "a 400 is never retried");
        var log = await pipeline.AllMessagesAsync(3);
        var rejected = log.Single(m => m.CustomerId.Value == "C000001");
        rejected.Status.Should().Be(MessageStatus.Rejected);
        var position = SendGrid.Requests.First().Body.GetProperty("personalizations").EnumerateArray()
            .Select(p => p.GetProperty("to")[0].GetProperty("email").GetString()).ToList().IndexOf("customer.c000001@example.com");
        rejected.Detail.Should().Contain("Does not contain a valid address.").And.Contain($"personalizations.{position}.to.0.email");
        log.Where(m => m.CustomerId.Value != "C000001").Should().OnlyContain(m => m.Status == MessageStatus.Sent);
        SendGrid.AcceptedMessageIds.Should().BeEquivalentTo(log.Where(m => m.Status == MessageStatus.Sent).Select(m => m.MessageId.Value));
    }

    [Fact]
    public async Task A_request_too_large_is_split_until_it_fits()
    {
        await using var pipeline = await PlannedAsync(NewPipeline(), 4);
        SendGrid.ThenTooLarge();

        var summary = await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);

        summary.Sent.Should().Be(4);
        SendGrid.Requests.Select(r => (r.Status, r.Body.GetProperty("personalizations").GetArrayLength())).Should().Equal((413, 4), (202, 2), (202, 2));
        SendGrid.AcceptedMessageIds.Should().OnlyHaveUniqueItems().And.HaveCount(4);
    }

    [Fact]
    public async Task A_single_message_too_large_is_rejected_not_retried()
    {
        await using var pipeline = await PlannedAsync(NewPipeline(), 1);
        SendGrid.ThenTooLarge();

        var summary = await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);
        await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);

        summary.Rejected.Should().Be(1);
        SendGrid.Requests.Should().ContainSingle();
        (await pipeline.Log.GetCustomerMessagesAsync(new("C000000"))).Single().Detail.Should().Contain("413");
    }

    [Fact]
    public async Task Throttled_delivery_waits_until_the_rate_limit_resets_then_sends_once()
    {
        await using var pipeline = await PlannedAsync(NewPipeline(), 2);
        SendGrid.ThenRateLimited(pipeline.Clock.Now.ToUnixTimeSeconds() + 1);
        var watch = Stopwatch.StartNew();

        var summary = await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);

        watch.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(0.9), "the retry waits for X-RateLimit-Reset");
        summary.Sent.Should().Be(2);
        summary.ProviderRequests.Should().Be(2);
        SendGrid.Requests.Select(r => r.Status).Should().Equal(429, 202);
        SendGrid.AcceptedMessageIds.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_server_error_is_retried_with_backoff_and_the_messages_go_once()
    {
        await using var pipeline = await PlannedAsync(NewPipeline(), 3);
        SendGrid.ThenServerError();

        var summary = await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);

        summary.Sent.Should().Be(3);
        SendGrid.Requests.Select(r => r.Status).Should().Equal(500, 202);
        SendGrid.AcceptedMessageIds.Should().OnlyHaveUniqueItems().And.HaveCount(3);
    }

    [Fact]
    public async Task Server_errors_beyond_the_retry_budget_leave_the_messages_failed_for_the_next_run()
    {
        await using var pipeline = await PlannedAsync(NewPipeline(null, ("Automation:SendGrid:MaxRetries", "2")), 1);
        for (var i = 0; i < 3; i++) SendGrid.ThenServerError(503);

        var first = await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);
        var second = await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);

        first.Failed.Should().Be(1);
        first.ProviderRequests.Should().Be(3);
        second.Sent.Should().Be(1);
        SendGrid.AcceptedMessageIds.Should().ContainSingle();
    }

    [Fact]
    public async Task A_response_that_never_comes_leaves_the_messages_unknown_and_they_are_never_resent()
    {
        await using var pipeline = await PlannedAsync(NewPipeline(null, ("Automation:SendGrid:RequestTimeoutSeconds", "0.5")), 2);
        SendGrid.ThenHang();

        var first = await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);
        pipeline.Clock.Now += Duration.FromHours(1);
        var second = await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);

        first.Unknown.Should().Be(2);
        first.ProviderRequests.Should().Be(1, "a timeout is never retried: SendGrid may have the request");
        second.ProviderRequests.Should().Be(0);
        SendGrid.Requests.Should().ContainSingle();
        var log = await pipeline.AllMessagesAsync(2);
        log.Should().OnlyContain(m => m.Status == MessageStatus.Unknown && m.Detail!.Contains("did not answer"));
    }

    [Fact]
    public async Task A_crash_between_the_202_and_recording_it_sends_nothing_again_on_restart()
    {
        await using (var crashing = NewPipeline(services => services.CrashWhenRecording(MessageStatus.Sent)))
        {
            await PlannedAsync(crashing, 3);
            var crash = () => crashing.Delivery.DeliverAsync(Pipeline.Birthday);
            await crash.Should().ThrowAsync<SimulatedCrashException>();
        }

        await using var restarted = NewPipeline();
        restarted.Clock.Now += Duration.FromMinutes(20);
        var summary = await restarted.Delivery.DeliverAsync(Pipeline.Birthday);

        summary.Unknown.Should().Be(3);
        summary.ProviderRequests.Should().Be(0);
        SendGrid.Requests.Should().ContainSingle();
        SendGrid.AcceptedMessageIds.Should().HaveCount(3);
        (await restarted.AllMessagesAsync(3)).Should().OnlyContain(m => m.Status == MessageStatus.Unknown);
    }

    [Fact]
    public async Task A_run_right_after_a_crash_leaves_messages_still_marked_sending_alone()
    {
        await using (var crashing = NewPipeline(services => services.CrashWhenRecording(MessageStatus.Sent)))
        {
            await PlannedAsync(crashing, 1);
            await ((Func<Task>)(() => crashing.Delivery.DeliverAsync(Pipeline.Birthday))).Should().ThrowAsync<SimulatedCrashException>();
        }

        await using var concurrent = NewPipeline();
        var summary = await concurrent.Delivery.DeliverAsync(Pipeline.Birthday);

        summary.InFlight.Should().Be(1, "within the sending timeout another run may still be sending it");
        summary.ProviderRequests.Should().Be(0);
        (await concurrent.Log.GetCustomerMessagesAsync(new("C000000"))).Single().Status.Should().Be(MessageStatus.Sending);
    }

    [Fact]
    public async Task A_refused_api_key_stops_delivery_with_a_configuration_error_that_does_not_show_the_key()
    {
        await using var pipeline = await PlannedAsync(NewPipeline(null, ("Automation:SendGrid:ApiKey", "SG.wrong-synthetic-key")), 2);

        var deliver = () => pipeline.Delivery.DeliverAsync(Pipeline.Birthday);

        var error = (await deliver.Should().ThrowAsync<SendGridConfigurationException>()).Which;
        error.Message.Should().Contain("Automation:SendGrid:ApiKey").And.NotContain("SG.wrong-synthetic-key");
        (await pipeline.AllMessagesAsync(2)).Should().OnlyContain(m => m.Status == MessageStatus.Failed, "SendGrid took nothing, so the next run may send them");
        SendGrid.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task One_address_appears_once_per_request()
    {
        await using var pipeline = NewPipeline();
        await pipeline.AddCelebratingCustomersAsync(3);
        // Another record at C000000's address, with yesterday's birthday: one message per address a day lets
        // both go, on their days, and SendGrid takes the two, scheduled, in one delivery run.
        await pipeline.Store.ApplyAsync(
        [
            new CustomerUpdate("C000003", new LineSource("sha256:shared-address", 2), Instant.FromUtc(2026, 1, 1, 0, 0))
            {
                Email = "customer.c000000@example.com", FirstName = "Ada", BirthDate = new LocalDate(1990, 6, 14), TimeZone = "Europe/Rome", Locale = "it-IT",
            },
            TestChanges.Consent("C000003", Automation.Profiles.Model.ConsentStatus.OptIn, Instant.FromUtc(2026, 1, 2, 0, 0)),
        ]);
        pipeline.Clock.Now = Instant.FromUtc(2026, 6, 13, 4, 0);
        await pipeline.Planning.PlanAsync(Pipeline.Birthday.PlusDays(-1), dryRun: false);
        await pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false);

        var summary = await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);

        summary.Sent.Should().Be(4);
        var requests = SendGrid.Accepted.ToList();
        requests.Should().HaveCount(2);
        requests.Should().OnlyContain(b => b.GetProperty("personalizations").EnumerateArray()
            .Select(p => p.GetProperty("to")[0].GetProperty("email").GetString()).Distinct().Count() == b.GetProperty("personalizations").GetArrayLength());
    }

    [Fact]
    public async Task A_message_due_beyond_72_hours_waits_in_our_queue_and_goes_scheduled_once_within_reach()
    {
        await using var pipeline = NewPipeline();
        await pipeline.AddCelebratingCustomersAsync(1);
        pipeline.Clock.Now = Instant.FromUtc(2026, 6, 11, 4, 0);
        await pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false);

        var early = await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);
        pipeline.Clock.Now = Instant.FromUtc(2026, 6, 13, 4, 0);
        var inReach = await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);

        early.Waiting.Should().Be(1);
        early.ProviderRequests.Should().Be(0);
        inReach.Sent.Should().Be(1);
        SendGrid.Accepted.Single().GetProperty("send_at").GetInt64().Should().Be(Instant.FromUtc(2026, 6, 15, 7, 0).ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Sandbox_mode_asks_SendGrid_to_validate_without_sending()
    {
        await using var pipeline = await PlannedAsync(NewPipeline(null, ("Automation:SendGrid:SandboxMode", "true")), 1);

        await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);

        SendGrid.Accepted.Single().GetProperty("mail_settings").GetProperty("sandbox_mode").GetProperty("enable").GetBoolean().Should().BeTrue();
    }

    public async Task DisposeAsync()
    {
        await SendGrid.DisposeAsync();
        _folder.Dispose();
    }
}

[Trait(Peers.Trait, Peers.Value)]
public sealed class SqliteSendGridDeliveryTests : SendGridDeliveryTests
{
    protected override Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync(TempFolder folder) => TestStores.SqliteAsync(folder);
}

[Trait(Peers.Trait, Peers.Value)]
public sealed class CosmosSendGridDeliveryTests : SendGridDeliveryTests
{
    protected override Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync(TempFolder folder) => TestStores.CosmosAsync();
}
