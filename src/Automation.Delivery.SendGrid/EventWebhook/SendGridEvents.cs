using System.Text.Json;
using Automation.Delivery.Feedback;
using Automation.Planning.Messages;
using NodaTime;

namespace Automation.Delivery.SendGrid.EventWebhook;

/// <summary>A webhook body, read: the reports, and how many entries were not events at all.</summary>
public sealed record ParsedEvents(IReadOnlyList<DeliveryReport> Reports, int Malformed);

/// <summary>
/// Reads SendGrid's event webhook body: a JSON array of events, each with <c>event</c>, <c>timestamp</c>
/// (Unix seconds), <c>sg_event_id</c>, and our custom arguments at the top level. The recipient's
/// address in each event is never read.
/// </summary>
public static class SendGridEvents
{
    /// <exception cref="JsonException">The body is not a JSON array.</exception>
    public static ParsedEvents Parse(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        using var document = JsonDocument.ParseValue(ref reader);
        if (document.RootElement.ValueKind != JsonValueKind.Array) throw new JsonException("A SendGrid event webhook body is a JSON array of events.");
        var reports = new List<DeliveryReport>(document.RootElement.GetArrayLength());
        var malformed = 0;
        foreach (var item in document.RootElement.EnumerateArray())
        {
            if (Read(item) is { } report) reports.Add(report);
            else malformed++;
        }

        return new ParsedEvents(reports, malformed);
    }

    private static DeliveryReport? Read(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object
            || Text(item, "event") is not { Length: > 0 } type
            || !item.TryGetProperty("timestamp", out var timestamp) || !timestamp.TryGetInt64(out var seconds)
            || UnixSeconds.ToInstant(seconds) is not { } at)
        {
            return null;
        }

        // SendGrid reports a block (a temporary refusal by the receiving server) as a bounce of type "blocked".
        if (type == DeliveryEventTypes.Bounce && Text(item, "type") == "blocked") type = DeliveryEventTypes.Blocked;
        var detail = Text(item, "reason") ?? Text(item, "response");
        return new DeliveryReport(
            Text(item, MailSendRequest.MessageIdArgument),
            type,
            at,
            Text(item, "sg_event_id"),
            detail is null ? null : ProviderText.Masked(detail));
    }

    private static string? Text(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
