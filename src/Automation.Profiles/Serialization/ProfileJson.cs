using System.Text.Json;
using System.Text.Json.Serialization;
using Automation.Profiles.Model;
using NodaTime;
using NodaTime.Text;
using System.Text.Json.Serialization.Metadata;

namespace Automation.Profiles.Serialization;

/// <summary>
/// The profile's document shape (camelCase JSON, ISO 8601 dates and instants), shared by every store
/// so a document means the same thing in SQLite and in Cosmos DB.
/// </summary>
public static class ProfileJson
{
    // Source-generated: writing a document is on the commit path of every ingestion.
    private static JsonTypeInfo<CustomerProfile> Document => ProfileJsonContext.Default.CustomerProfile;

    public static string Serialize(CustomerProfile profile) => JsonSerializer.Serialize(profile, Document);

    public static byte[] SerializeToUtf8(CustomerProfile profile) => JsonSerializer.SerializeToUtf8Bytes(profile, Document);

    /// <summary>Writes the document into <paramref name="buffer"/> (cleared first), for callers that reuse one buffer.</summary>
    public static ReadOnlySpan<byte> SerializeTo(CustomerProfile profile, System.Buffers.ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(buffer);
        JsonSerializer.Serialize(writer, profile, Document);
        return buffer.WrittenSpan;
    }

    /// <summary>Writes the document as one value, for backends that embed it in a larger document.</summary>
    public static void Write(Utf8JsonWriter writer, CustomerProfile profile) => JsonSerializer.Serialize(writer, profile, Document);

    public static CustomerProfile Deserialize(JsonElement element) =>
        element.Deserialize(Document) ?? throw new JsonException("A profile document is null.");

    public static CustomerProfile Deserialize(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize(utf8Json, Document) ?? throw new JsonException("A profile document is null.");

    public static CustomerProfile Deserialize(string json) =>
        JsonSerializer.Deserialize(json, Document) ?? throw new JsonException("A profile document is null.");

    /// <summary>A mailbox in the same shape on every store.</summary>
    public static void Write(Utf8JsonWriter writer, Automation.Profiles.Mailboxes.Mailbox mailbox) =>
        JsonSerializer.Serialize(writer, mailbox, ProfileJsonContext.Default.Mailbox);

    public static string Serialize(Automation.Profiles.Mailboxes.Mailbox mailbox) => JsonSerializer.Serialize(mailbox, ProfileJsonContext.Default.Mailbox);

    public static Automation.Profiles.Mailboxes.Mailbox DeserializeMailbox(JsonElement element) =>
        element.Deserialize(ProfileJsonContext.Default.Mailbox) ?? throw new JsonException("A mailbox document is null.");

    public static Automation.Profiles.Mailboxes.Mailbox DeserializeMailbox(string json) =>
        JsonSerializer.Deserialize(json, ProfileJsonContext.Default.Mailbox) ?? throw new JsonException("A mailbox document is null.");

    /// <summary>
    /// ISO 8601 instants. Documents hold many of them, so the common form written here
    /// (<c>2024-03-01T12:00:00Z</c>) is parsed directly; anything else goes through NodaTime's pattern.
    /// </summary>
    public sealed class InstantConverter : JsonConverter<Instant>
    {
        public override Instant Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var span = reader.ValueSpan;
            if (!reader.ValueIsEscaped && span.Length == 20 && span[10] == (byte)'T' && span[19] == (byte)'Z'
                && TryDate(span[..10], out var date)
                && TryDigits(span.Slice(11, 2), out var hour) && span[13] == (byte)':'
                && TryDigits(span.Slice(14, 2), out var minute) && span[16] == (byte)':'
                && TryDigits(span.Slice(17, 2), out var second) && hour < 24 && minute < 60 && second < 60)
            {
                return date.At(new LocalTime(hour, minute, second)).InUtc().ToInstant();
            }

            return InstantPattern.ExtendedIso.Parse(reader.GetString()!).GetValueOrThrow();
        }

        public override void Write(Utf8JsonWriter writer, Instant value, JsonSerializerOptions options) =>
            writer.WriteStringValue(InstantPattern.ExtendedIso.Format(value));
    }

    /// <summary>ISO 8601 dates (<c>2024-03-01</c>), for every document that holds one.</summary>
    public sealed class LocalDateConverter : JsonConverter<LocalDate>
    {
        public override LocalDate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            !reader.ValueIsEscaped && TryDate(reader.ValueSpan, out var date)
                ? date
                : LocalDatePattern.Iso.Parse(reader.GetString()!).GetValueOrThrow();

        public override void Write(Utf8JsonWriter writer, LocalDate value, JsonSerializerOptions options)
        {
            Span<byte> buffer = stackalloc byte[10];
            if (value.Year is >= 1 and <= 9999)
            {
                WriteDigits(buffer[..4], value.Year);
                buffer[4] = (byte)'-';
                WriteDigits(buffer.Slice(5, 2), value.Month);
                buffer[7] = (byte)'-';
                WriteDigits(buffer.Slice(8, 2), value.Day);
                writer.WriteStringValue(buffer);
            }
            else
            {
                writer.WriteStringValue(LocalDatePattern.Iso.Format(value));
            }
        }
    }

    /// <summary>Parses <c>YYYY-MM-DD</c>; false for anything else, including impossible dates.</summary>
    private static bool TryDate(ReadOnlySpan<byte> span, out LocalDate date)
    {
        date = default;
        if (span.Length != 10 || span[4] != (byte)'-' || span[7] != (byte)'-') return false;
        if (!TryDigits(span[..4], out var year) || !TryDigits(span.Slice(5, 2), out var month) || !TryDigits(span.Slice(8, 2), out var day)) return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > CalendarSystem.Iso.GetDaysInMonth(year, month)) return false;
        date = new LocalDate(year, month, day);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> span, out int value)
    {
        value = 0;
        foreach (var b in span)
        {
            if (b is < (byte)'0' or > (byte)'9') return false;
            value = value * 10 + (b - '0');
        }

        return true;
    }

    private static void WriteDigits(Span<byte> buffer, int value)
    {
        for (var i = buffer.Length - 1; i >= 0; i--, value /= 10) buffer[i] = (byte)('0' + value % 10);
    }
}

[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(ProfileJson.InstantConverter), typeof(ProfileJson.LocalDateConverter)])]
[JsonSerializable(typeof(CustomerProfile))]
[JsonSerializable(typeof(Automation.Profiles.Mailboxes.Mailbox))]
internal sealed partial class ProfileJsonContext : JsonSerializerContext;
