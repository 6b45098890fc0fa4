using System.Text.Json;
using System.Text.Json.Serialization;

namespace Automation.Profiles.Identifiers;

/// <summary>Writes an id as its text, as a value and as a property name, so documents read the same as before the types existed.</summary>
public sealed class IdentifierJsonConverter<T> : JsonConverter<T> where T : struct, IIdentifier<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String ? T.From(reader.GetString()!) : throw new JsonException($"A {typeof(T).Name} is a JSON string, not {reader.TokenType}.");

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);

    public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => T.From(reader.GetString()!);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WritePropertyName(value.Value);
}
