using System.Buffers;
using System.Text.Json;
using Automation.Messages;
using Automation.Profiles.Identifiers;
using NodaTime;
using NodaTime.Text;

namespace Automation.Storage.Cosmos.Documents;

/// <summary>A message-log entry as a document, in the <c>messages</c> container and, while undelivered, in <c>deliveries</c>.</summary>
internal static class MessageDocument
{
    public static ReadOnlyMemory<byte> Write(MessageRecord record, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(buffer);
        writer.WriteStartObject();
        writer.WriteString("id", record.MessageId.Value);
        writer.WriteString("customerId", record.CustomerId.Value);
        writer.WriteString("trigger", record.Trigger.Value);
        writer.WriteString("occasion", record.OccasionKey);
        writer.WriteString("cooldownKey", record.CooldownKey);
        writer.WriteString("plannedFor", LocalDatePattern.Iso.Format(record.PlannedFor));
        writer.WriteString("sendAt", record.SendAt is { } sendAt ? Format(sendAt) : null);
        writer.WriteString("status", record.Status.Name());
        writer.WriteString("reasonCode", record.ReasonCode?.Value);
        writer.WriteString("reason", record.Reason);
        writer.WriteStartObject("data");
        foreach (var (key, value) in record.Data) writer.WriteString(key, value);
        writer.WriteEndObject();
        writer.WriteString("detail", record.Detail);
        writer.WriteString("decidedAt", Format(record.DecidedAt));
        writer.WriteString("updatedAt", Format(record.UpdatedAt));
        writer.WritePropertyName("events");
        MessageEventJson.Write(writer, record.Events);
        writer.WriteEndObject();
        writer.Flush();
        return buffer.WrittenMemory;
    }

    public static MessageRecord Read(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return Read(document.RootElement);
    }

    public static MessageRecord Read(JsonElement document)
    {
        string? Text(string name) => document.TryGetProperty(name, out var value) ? value.GetString() : null;
        var data = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in document.GetProperty("data").EnumerateObject()) data[item.Name] = item.Value.GetString()!;
        return new MessageRecord(
            new MessageId(Text("id")!), new CustomerId(Text("customerId")!), new TriggerName(Text("trigger")!), Text("occasion")!, Text("cooldownKey"),
            PlannedFor(document), Text("sendAt") is { } sendAt ? Parse(sendAt) : null, Status(document),
            Text("reasonCode") is { } reasonCode ? new ReasonCode(reasonCode) : null, Text("reason")!, data, Parse(Text("decidedAt")!))
        {
            Detail = Text("detail"),
            UpdatedAt = Parse(Text("updatedAt")!),
            Events = document.TryGetProperty("events", out var events) ? MessageEventJson.Read(events) : [],
        };
    }

    public static MessageStatus Status(JsonElement document) => MessageStatuses.Parse(document.GetProperty("status").GetString()!);

    public static LocalDate PlannedFor(JsonElement document) => LocalDatePattern.Iso.Parse(document.GetProperty("plannedFor").GetString()!).GetValueOrThrow();

    public static string Format(Instant instant) => InstantPattern.ExtendedIso.Format(instant);

    private static Instant Parse(string text) => InstantPattern.ExtendedIso.Parse(text).GetValueOrThrow();
}
