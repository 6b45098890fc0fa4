using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Automation.Messages;
using Automation.Planning.Policies;
using Automation.Profiles.Model;
using Automation.Testing;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Delivery.Tests.SendGrid;

/// <summary>
/// SendGrid's signed event webhook, end to end: three birthday messages are sent through the fake
/// SendGrid, then SendGrid's reports about them come back, signed with a key pair made here.
/// </summary>
[Trait(Peers.Trait, Peers.Value)]
public abstract class EventWebhookTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private FakeSendGrid _sendGrid = null!;
    private Pipeline _pipeline = null!;
    private List<MessageRecord> _sent = [];

    protected abstract Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync(TempFolder folder);

    public async Task InitializeAsync()
    {
        _sendGrid = await FakeSendGrid.StartAsync();
        _pipeline = new Pipeline(_folder, await StoreSettingsAsync(_folder), null,
            ("Automation:SendGrid:ApiKey", FakeSendGrid.ApiKey),
            ("Automation:SendGrid:BaseUrl", _sendGrid.BaseUrl),
            ("Automation:SendGrid:UnsubscribeGroupId", "4242"),
            ("Automation:SendGrid:Templates:birthday", SendGridDeliveryTests.BirthdayTemplate),
            ("Automation:SendGrid:EventWebhook:PublicKey", Convert.ToBase64String(_key.ExportSubjectPublicKeyInfo())));
        await _pipeline.AddCelebratingCustomersAsync(3);
        await _pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false);
        (await _pipeline.Delivery.DeliverAsync(Pipeline.Birthday)).Sent.Should().Be(3);
        _sent = (await _pipeline.AllMessagesAsync(3)).OrderBy(m => m.CustomerId.Value, StringComparer.Ordinal).ToList();
        _pipeline.Clock.Now = Instant.FromUtc(2026, 6, 15, 12, 0);
    }

    private MessageRecord First => _sent[0];

    [Fact]
    public async Task A_signed_batch_updates_the_message_log()
    {
        var body = Body(Event("processed", First, 7, 0, "ev-1"), Event("delivered", First, 7, 1, "ev-2"), Event("open", First, 9, 30, "ev-3"));

        var result = await PostAsync(body);

        result.StatusCode.Should().Be(200);
        result.Summary!.Recorded.Should().Be(3);
        var message = await MessageAsync(First);
        message.Status.Should().Be(MessageStatus.Delivered);
        message.Events.Select(e => (e.Type, e.At)).Should().Equal(
            ("processed", At(7, 0)), ("delivered", At(7, 1)), ("open", At(9, 30)));
    }

    [Fact]
    public async Task A_tampered_body_is_refused_and_changes_nothing()
    {
        var timestamp = Timestamp(_pipeline.Clock.Now);
        var signed = Body(Event("delivered", First, 7, 1));
        var tampered = Body(Event("spamreport", First, 7, 1));

        var result = await _pipeline.Webhook.HandleAsync(Sign(_key, timestamp, signed), timestamp, tampered);

        result.StatusCode.Should().Be(403);
        (await MessageAsync(First)).Events.Should().BeEmpty();
        (await ContactabilityOfAsync(First)).Should().BeNull();
    }

    [Fact]
    public async Task A_body_signed_with_another_key_is_refused()
    {
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var timestamp = Timestamp(_pipeline.Clock.Now);
        var body = Body(Event("delivered", First, 7, 1));

        var result = await _pipeline.Webhook.HandleAsync(Sign(stranger, timestamp, body), timestamp, body);

        result.StatusCode.Should().Be(403);
        (await MessageAsync(First)).Events.Should().BeEmpty();
    }

    [Fact]
    public async Task A_stale_timestamp_is_refused_as_a_possible_replay_even_when_correctly_signed()
    {
        var body = Body(Event("delivered", First, 7, 1));

        var stale = await PostAsync(body, _pipeline.Clock.Now - Duration.FromMinutes(11));
        var fresh = await PostAsync(body, _pipeline.Clock.Now - Duration.FromMinutes(9));

        stale.StatusCode.Should().Be(403);
        stale.Message.Should().Contain("replay");
        fresh.StatusCode.Should().Be(200);
    }

    [Fact]
    public async Task An_unsigned_request_is_refused()
    {
        var result = await _pipeline.Webhook.HandleAsync(null, null, Body(Event("delivered", First, 7, 1)));

        result.StatusCode.Should().Be(401);
    }

    [Fact]
    public async Task A_replayed_batch_is_recorded_once_even_when_SendGrid_gives_the_events_new_ids()
    {
        var original = Body(Event("delivered", First, 7, 1, "ev-a"), Event("click", First, 9, 0, "ev-b"));
        var retried = Body(Event("delivered", First, 7, 1, "ev-a-retry"), Event("click", First, 9, 0, "ev-b-retry"));

        var first = await PostAsync(original);
        var replay = await PostAsync(original);
        var renamed = await PostAsync(retried);

        first.Summary!.Recorded.Should().Be(2);
        replay.Summary!.Duplicates.Should().Be(2);
        renamed.Summary!.Duplicates.Should().Be(2);
        (await MessageAsync(First)).Events.Should().HaveCount(2);
    }

    [Fact]
    public async Task An_unknown_event_type_is_recorded_not_fatal()
    {
        var result = await PostAsync(Body(Event("machine_opened", First, 8, 0), Event("delivered", _sent[1], 7, 1)));

        result.StatusCode.Should().Be(200);
        result.Summary!.UnknownTypes.Should().Equal(new Dictionary<string, long> { ["machine_opened"] = 1 });
        (await MessageAsync(First)).Events.Should().ContainSingle().Which.Type.Should().Be("machine_opened");
        (await MessageAsync(First)).Status.Should().Be(MessageStatus.Sent);
        (await MessageAsync(_sent[1])).Status.Should().Be(MessageStatus.Delivered);
    }

    [Fact]
    public async Task Events_without_a_message_of_ours_are_counted_as_unmatched()
    {
        var foreign = new Dictionary<string, object> { ["event"] = "bounce", ["timestamp"] = At(7, 0).ToUnixTimeSeconds(), ["email"] = "someone@example.com" };
        var unknownId = Event("delivered", First with { MessageId = new MessageId("m00000000000000000000000000000000") }, 7, 0);

        var result = await PostAsync(Body(foreign, unknownId));

        result.StatusCode.Should().Be(200);
        result.Summary!.Unmatched.Should().Be(2);
        result.Summary.ConsentChanges.Should().BeEmpty();
    }

    [Theory]
    [InlineData("bounce", "bounce", "bounced", MessageStatus.Bounced)]
    [InlineData("dropped", null, "bounced", MessageStatus.Dropped)]
    [InlineData("spamreport", null, "spam_report", MessageStatus.Delivered)]
    [InlineData("unsubscribe", null, "opted_out", MessageStatus.Delivered)]
    [InlineData("group_unsubscribe", null, "opted_out", MessageStatus.Delivered)]
    public async Task Each_suppression_stops_further_mail_to_the_customer_and_keeps_the_reason(string type, string? bounceType, string reasonCode, MessageStatus status)
    {
        var report = Event(type, First, 7, 5);
        report["reason"] = "550 5.1.1 <customer.c000000@example.com>: Recipient address rejected";
        if (bounceType is not null) report["type"] = bounceType;
        if (type.StartsWith("group_", StringComparison.Ordinal)) report["asm_group_id"] = 4242;

        var result = await PostAsync(Body(report));

        result.Summary!.ConsentChanges.Should().Equal(new Dictionary<string, long> { [type] = 1 });
        var (code, detail) = (await ContactabilityOfAsync(First))!.Value;
        code.Should().Be(new ReasonCode(reasonCode));
        detail.Should().Contain(type).And.Contain(First.MessageId.Value);
        detail.Should().NotContain("customer.c000000@example.com", "provider texts are kept with addresses masked");
        (await MessageAsync(First)).Status.Should().Be(status);
        (await ContactabilityOfAsync(_sent[1])).Should().BeNull("only the reported customer is suppressed");
    }

    [Fact]
    public async Task A_blocked_bounce_is_temporary_and_suppresses_nothing()
    {
        var report = Event("bounce", First, 7, 5);
        report["type"] = "blocked";

        var result = await PostAsync(Body(report));

        result.Summary!.ConsentChanges.Should().BeEmpty();
        (await ContactabilityOfAsync(First)).Should().BeNull();
        (await MessageAsync(First)).Events.Single().Type.Should().Be("blocked");
    }

    [Fact]
    public async Task A_group_resubscribe_lifts_a_group_unsubscribe_in_whichever_order_they_arrive()
    {
        var leave = Event("group_unsubscribe", First, 8, 0);
        var rejoin = Event("group_resubscribe", First, 10, 0);

        await PostAsync(Body(rejoin));
        await PostAsync(Body(leave));

        (await ContactabilityOfAsync(First)).Should().BeNull();
        await PostAsync(Body(Event("group_unsubscribe", First, 11, 0)));
        (await ContactabilityOfAsync(First))!.Value.Code.Should().Be(ReasonCodes.OptedOut);
    }

    [Fact]
    public async Task A_group_resubscribe_never_lifts_an_unsubscribe_from_everything()
    {
        await PostAsync(Body(Event("unsubscribe", First, 8, 0)));
        await PostAsync(Body(Event("group_resubscribe", First, 10, 0)));

        (await ContactabilityOfAsync(First))!.Value.Code.Should().Be(ReasonCodes.OptedOut);
    }

    [Fact]
    public async Task An_event_with_a_field_of_the_wrong_type_is_skipped_and_named_and_the_unsubscribe_beside_it_is_applied()
    {
        var broken = Event("delivered", _sent[1], 7, 0, "ev-broken");
        broken["timestamp"] = "1781503200";
        var body = Body(broken, Event("unsubscribe", First, 8, 0, "ev-unsub"), Event("open", _sent[2], 9, 0, "ev-open"));

        var result = await PostAsync(body);

        result.StatusCode.Should().Be(200);
        result.Malformed.Should().Equal("event 1: \"timestamp\" is a string, expected a number");
        result.Summary!.Recorded.Should().Be(2);
        (await ContactabilityOfAsync(First))!.Value.Code.Should().Be(ReasonCodes.OptedOut);
        (await MessageAsync(_sent[1])).Events.Should().NotContain(e => e.ProviderEventId == "ev-broken");
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"event\":\"unsubscribe\"}")]
    [InlineData("[1, 2")]
    public async Task A_verified_body_that_is_not_an_event_array_is_acknowledged_with_the_reason_and_changes_nothing(string text)
    {
        var result = await PostAsync(Encoding.UTF8.GetBytes(text));

        result.StatusCode.Should().Be(200, "SendGrid would only send the same unreadable body again");
        result.MalformedCount.Should().Be(1);
        result.Message.Should().StartWith("Nothing applied: the body is not a SendGrid event array");
        (await MessageAsync(First)).Events.Should().BeEmpty();
    }

    /// <summary>
    /// 60 signed batches of random JSON (objects with our field names holding any kind of value, arrays,
    /// scalars, deep nesting, ids of every shape) with real events shuffled in: every answer is 200, no
    /// exception escapes, and each real event is recorded once.
    /// </summary>
    [Fact]
    public async Task Random_json_shapes_never_escape_the_handler_and_never_cost_a_real_event()
    {
        var random = new Random(2026);
        var realEvents = 0;
        for (var batch = 0; batch < 60; batch++)
        {
            var items = new List<object?>();
            for (var i = random.Next(1, 8); i > 0; i--) items.Add(RandomEntry(random));
            var real = random.Next(1, 4);
            for (var i = 0; i < real; i++)
            {
                // A distinct minute each: an event with the type and time of one already recorded is a duplicate.
                var minute = batch * 3 + i;
                items.Insert(random.Next(items.Count + 1), Event("click", _sent[random.Next(_sent.Count)], 10 + minute / 60, minute % 60, $"ev-fuzz-{batch}-{i}"));
            }

            realEvents += real;
            var result = await PostAsync(JsonSerializer.SerializeToUtf8Bytes(items));

            result.StatusCode.Should().Be(200, result.Message);
            result.Summary!.Recorded.Should().Be(real, result.Message);
        }

        var clicks = 0;
        foreach (var message in _sent) clicks += (await MessageAsync(message)).Events.Count(e => e.ProviderEventId?.StartsWith("ev-fuzz-", StringComparison.Ordinal) == true);
        clicks.Should().Be(realEvents);
    }

    private static readonly string[] FieldNames = ["event", "timestamp", "sg_event_id", "automation_message_id", "type", "reason", "response", "email", "category"];

    private object? RandomEntry(Random random) => random.Next(6) switch
    {
        0 => RandomValue(random, 3),
        _ => FieldNames.Where(_ => random.Next(3) > 0).ToDictionary(name => name, name => random.Next(3) switch
        {
            0 => RandomValue(random, 2),
            1 => name switch
            {
                "event" => (object?)new[] { "unsubscribe", "bounce", "", "spamreport", "delivered" }[random.Next(5)],
                "timestamp" => new object[] { long.MaxValue, -1L, 1.5e9, 1781503200L, 0 }[random.Next(5)],
                "automation_message_id" => new object[] { _sent[0].MessageId.Value.ToUpperInvariant(), "m/../x", new string('m', 300), "#?/\\", _sent[1].MessageId + " " }[random.Next(5)],
                _ => new string((char)random.Next(32, 0x2FF), random.Next(0, 600)),
            },
            _ => null,
        }),
    };

    private static object? RandomValue(Random random, int depth) => random.Next(depth <= 0 ? 5 : 7) switch
    {
        0 => null,
        1 => random.Next(2) == 0,
        2 => random.NextDouble() * Math.Pow(10, random.Next(-5, 300)),
        3 => random.NextInt64(long.MinValue, long.MaxValue),
        4 => new string((char)random.Next(32, 0xD7FF), random.Next(0, 40)),
        5 => Enumerable.Range(0, random.Next(4)).Select(_ => RandomValue(random, depth - 1)).ToList(),
        _ => Enumerable.Range(0, random.Next(4)).ToDictionary(i => FieldNames[random.Next(FieldNames.Length)] + i, _ => RandomValue(random, depth - 1)),
    };

    private Task<Delivery.SendGrid.EventWebhook.WebhookResult> PostAsync(byte[] body, Instant? signedAt = null)
    {
        var timestamp = Timestamp(signedAt ?? _pipeline.Clock.Now);
        return _pipeline.Webhook.HandleAsync(Sign(_key, timestamp, body), timestamp, body);
    }

    private static Instant At(int hour, int minute) => Instant.FromUtc(2026, 6, 15, hour, minute);

    private static Dictionary<string, object> Event(string type, MessageRecord message, int hour, int minute, string? eventId = null)
    {
        var report = new Dictionary<string, object>
        {
            ["email"] = $"customer.{message.CustomerId.Value.ToLowerInvariant()}@example.com",
            ["timestamp"] = At(hour, minute).ToUnixTimeSeconds(),
            ["event"] = type,
            ["sg_message_id"] = "fake-1.filter0001.1.0",
            ["category"] = new[] { message.Trigger },
            ["automation_message_id"] = message.MessageId,
        };
        if (eventId is not null) report["sg_event_id"] = eventId;
        return report;
    }

    private static byte[] Body(params Dictionary<string, object>[] events) => JsonSerializer.SerializeToUtf8Bytes(events);

    private static string Timestamp(Instant at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static string Sign(ECDsa key, string timestamp, byte[] body) =>
        Convert.ToBase64String(key.SignData([.. Encoding.UTF8.GetBytes(timestamp), .. body], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    private async Task<MessageRecord> MessageAsync(MessageRecord message) =>
        (await _pipeline.Log.GetCustomerMessagesAsync(message.CustomerId)).Single(m => m.MessageId == message.MessageId);

    private async Task<(ReasonCode Code, string Detail)?> ContactabilityOfAsync(MessageRecord message) =>
        Contactability.Check((await _pipeline.Store.GetAsync(message.CustomerId.Value))!);

    public async Task DisposeAsync()
    {
        await _pipeline.DisposeAsync();
        await _sendGrid.DisposeAsync();
        _key.Dispose();
        _folder.Dispose();
    }
}

[Trait(Peers.Trait, Peers.Value)]
public sealed class SqliteEventWebhookTests : EventWebhookTests
{
    protected override Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync(TempFolder folder) => TestStores.SqliteAsync(folder);
}

[Trait(Peers.Trait, Peers.Value)]
public sealed class CosmosEventWebhookTests : EventWebhookTests
{
    protected override Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync(TempFolder folder) => TestStores.CosmosAsync();
}
