using System.Text.Json;
using NodaTime;
using NodaTime.Text;

namespace Automation.Messages;

/// <summary>A message's provider reports as a JSON array, the same in every store.</summary>
public static class MessageEventJson
{
    public static void Write(Utf8JsonWriter writer, IReadOnlyList<MessageEvent> events)
    {
        writer.WriteStartArray();
        foreach (var reported in events)
        {
            writer.WriteStartObject();
            writer.WriteString("type", reported.Type);
            writer.WriteString("at", InstantPattern.ExtendedIso.Format(reported.At));
            if (reported.ProviderEventId is { } id) writer.WriteString("id", id);
            if (reported.Detail is { } detail) writer.WriteString("detail", detail);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    public static IReadOnlyList<MessageEvent> Read(JsonElement array)
    {
        if (array.ValueKind != JsonValueKind.Array) return [];
        var events = new List<MessageEvent>(array.GetArrayLength());
        foreach (var item in array.EnumerateArray())
        {
            string? Text(string name) => item.TryGetProperty(name, out var value) ? value.GetString() : null;
            events.Add(new MessageEvent(Text("type")!, InstantPattern.ExtendedIso.Parse(Text("at")!).GetValueOrThrow(), Text("id"), Text("detail")));
        }

        return events;
    }

    public static string Serialize(IReadOnlyList<MessageEvent> events)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer)) Write(writer, events);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static IReadOnlyList<MessageEvent> Deserialize(string? json)
    {
        if (json is null) return [];
        using var document = JsonDocument.Parse(json);
        return Read(document.RootElement);
    }
}
