using System.Text.Json;
using System.Text.RegularExpressions;
using Automation.Delivery.Feedback;
using Automation.Messages;
using NodaTime;

namespace Automation.Delivery.SendGrid.EventWebhook;

/// <summary>A webhook body, read: the reports, and the entries that were not events we can read, each with why.</summary>
public sealed record ParsedEvents(IReadOnlyList<DeliveryReport> Reports, IReadOnlyList<string> Malformed);

/// <summary>
/// Reads SendGrid's event webhook body: a JSON array of events, each with <c>event</c>, <c>timestamp</c>
/// (Unix seconds), <c>sg_event_id</c>, and our custom arguments at the top level. Each event is judged
/// on its own: one with a field of the wrong type is counted as malformed and the others still count,
/// because an unsubscribe must never be lost to its neighbour. The recipient's address is never read.
/// </summary>
public static partial class SendGridEvents
{
    /// <summary>Ids we did not make cannot name a message of ours; they are never looked up.</summary>
    private const int MaxIdLength = 200;

    /// <exception cref="JsonException">The body is not JSON, or not an array.</exception>
    public static ParsedEvents Parse(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        using var document = JsonDocument.ParseValue(ref reader);
        if (document.RootElement.ValueKind != JsonValueKind.Array) throw new JsonException($"A SendGrid event webhook body is a JSON array of events, not {Kind(document.RootElement)}.");
        var reports = new List<DeliveryReport>(document.RootElement.GetArrayLength());
        var malformed = new List<string>();
        var index = 0;
        foreach (var item in document.RootElement.EnumerateArray())
        {
            index++;
            if (Read(item, out var problem) is { } report) reports.Add(report);
            else malformed.Add(FormattableString.Invariant($"event {index}: {problem}"));
        }

        return new ParsedEvents(reports, malformed);
    }

    private static DeliveryReport? Read(JsonElement item, out string? problem)
    {
        problem = null;
        if (item.ValueKind != JsonValueKind.Object) return Refuse($"{Kind(item)}, not an object", out problem);
        if (!Field(item, "event", JsonValueKind.String, out var typeElement, out problem)) return null;
        if (typeElement.GetString() is not { Length: > 0 } type) return Refuse("\"event\" is empty", out problem);
        if (!Field(item, "timestamp", JsonValueKind.Number, out var timestamp, out problem)) return null;
        if (!timestamp.TryGetInt64(out var seconds) || UnixSeconds.ToInstant(seconds) is not { } at) return Refuse("\"timestamp\" is not whole Unix seconds within years 1-9999", out problem);
        if (!OptionalText(item, MailSendRequest.MessageIdArgument, out var messageId, out problem)
            || !OptionalText(item, "sg_event_id", out var eventId, out problem)
            || !OptionalText(item, "type", out var bounceType, out problem)
            || !OptionalText(item, "reason", out var reason, out problem)
            || !OptionalText(item, "response", out var response, out problem))
        {
            return null;
        }

        // SendGrid reports a block (a temporary refusal by the receiving server) as a bounce of type "blocked".
        if (type == DeliveryEventTypes.Bounce && bounceType == "blocked") type = DeliveryEventTypes.Blocked;
        var detail = reason ?? response;
        return new DeliveryReport(
            messageId is { Length: <= MaxIdLength } && MessageIdShape().IsMatch(messageId) ? new MessageId(messageId) : null,
            ProviderText.Masked(type),
            at,
            eventId is { Length: <= MaxIdLength } ? eventId : null,
            detail is null ? null : ProviderText.Masked(detail));
    }

    private static bool Field(JsonElement item, string name, JsonValueKind kind, out JsonElement value, out string? problem)
    {
        problem = null;
        if (!item.TryGetProperty(name, out value)) problem = $"\"{name}\" is missing";
        else if (value.ValueKind != kind) problem = $"\"{name}\" is {Kind(value)}, expected a {kind.ToString().ToLowerInvariant()}";
        return problem is null;
    }

    /// <summary>Absent or null is fine; any other kind than a string makes the event malformed.</summary>
    private static bool OptionalText(JsonElement item, string name, out string? text, out string? problem)
    {
        (text, problem) = (null, null);
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return true;
        if (value.ValueKind != JsonValueKind.String)
        {
            problem = $"\"{name}\" is {Kind(value)}, expected a string";
            return false;
        }

        text = value.GetString();
        return true;
    }

    private static DeliveryReport? Refuse(string why, out string? problem)
    {
        problem = why;
        return null;
    }

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    /// <summary>What <c>MessageIds.For</c> makes: "m" and 32 lowercase hex digits.</summary>
    [GeneratedRegex("^m[0-9a-f]{32}$")]
    private static partial Regex MessageIdShape();
}
