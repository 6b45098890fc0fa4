using System.Text.Json;
using System.Text.Json.Serialization;
using Automation.Profiles.Model;
using NodaTime;
using NodaTime.Text;

namespace Automation.Profiles.Serialization;

/// <summary>
/// The profile's document shape (camelCase JSON, ISO 8601 dates and instants), shared by every store
/// so a document means the same thing in SQLite and in Cosmos DB.
/// </summary>
public static class ProfileJson
{
    public static readonly JsonSerializerOptions Options = Create();

    public static string Serialize(CustomerProfile profile) => JsonSerializer.Serialize(profile, Options);

    public static byte[] SerializeToUtf8(CustomerProfile profile) => JsonSerializer.SerializeToUtf8Bytes(profile, Options);

    public static CustomerProfile Deserialize(ReadOnlySpan<byte> utf8Json) =>
        JsonSerializer.Deserialize<CustomerProfile>(utf8Json, Options) ?? throw new JsonException("A profile document is null.");

    public static CustomerProfile Deserialize(string json) =>
        JsonSerializer.Deserialize<CustomerProfile>(json, Options) ?? throw new JsonException("A profile document is null.");

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Converters = { new InstantConverter(), new LocalDateConverter(), new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private sealed class InstantConverter : JsonConverter<Instant>
    {
        public override Instant Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            InstantPattern.ExtendedIso.Parse(reader.GetString()!).GetValueOrThrow();

        public override void Write(Utf8JsonWriter writer, Instant value, JsonSerializerOptions options) =>
            writer.WriteStringValue(InstantPattern.ExtendedIso.Format(value));
    }

    private sealed class LocalDateConverter : JsonConverter<LocalDate>
    {
        public override LocalDate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            LocalDatePattern.Iso.Parse(reader.GetString()!).GetValueOrThrow();

        public override void Write(Utf8JsonWriter writer, LocalDate value, JsonSerializerOptions options) =>
            writer.WriteStringValue(LocalDatePattern.Iso.Format(value));
    }
}
