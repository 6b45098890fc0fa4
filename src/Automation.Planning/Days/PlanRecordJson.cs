using System.Text.Json;
using NodaTime.Text;

namespace Automation.Planning.Days;

/// <summary>A plan record as JSON, the same in every store: <c>{"counts":[…],"samples":[…],"gaps":[…]}</c>.</summary>
public static class PlanRecordJson
{
    public static void Write(Utf8JsonWriter writer, PlanRecord record)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("counts");
        foreach (var count in record.Counts)
        {
            writer.WriteStartObject();
            writer.WriteString("trigger", count.Trigger);
            writer.WriteString("locale", count.Locale);
            writer.WriteString("outcome", count.Outcome);
            if (count.Reason is { } reason) writer.WriteString("reason", reason);
            writer.WriteNumber("count", count.Count);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("samples");
        foreach (var sample in record.Samples)
        {
            writer.WriteStartObject();
            writer.WriteString("messageId", sample.MessageId);
            writer.WriteString("trigger", sample.Trigger);
            writer.WriteString("locale", sample.Locale);
            writer.WriteString("sendAt", InstantPattern.ExtendedIso.Format(sample.SendAt));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("gaps");
        foreach (var gap in record.Gaps)
        {
            writer.WriteStartObject();
            writer.WriteString("trigger", gap.Trigger);
            writer.WriteString("field", gap.Field);
            writer.WriteNumber("count", gap.Count);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static string Serialize(PlanRecord record)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) Write(writer, record);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static PlanRecord Read(JsonElement element)
    {
        string Text(JsonElement item, string name) => item.GetProperty(name).GetString()!;
        var counts = element.GetProperty("counts").EnumerateArray().Select(c => new PlanCount(
            Text(c, "trigger"), Text(c, "locale"), Text(c, "outcome"), c.TryGetProperty("reason", out var reason) ? reason.GetString() : null, c.GetProperty("count").GetInt64()));
        var samples = element.GetProperty("samples").EnumerateArray().Select(s => new PlanSample(
            Text(s, "messageId"), Text(s, "trigger"), Text(s, "locale"), InstantPattern.ExtendedIso.Parse(Text(s, "sendAt")).GetValueOrThrow()));
        // Records written before gaps were counted have none.
        var gaps = element.TryGetProperty("gaps", out var kept)
            ? kept.EnumerateArray().Select(g => new PlanGap(Text(g, "trigger"), Text(g, "field"), g.GetProperty("count").GetInt64()))
            : [];
        return PlanRecord.From(counts, samples, gaps);
    }

    public static PlanRecord Deserialize(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Read(document.RootElement);
    }
}
