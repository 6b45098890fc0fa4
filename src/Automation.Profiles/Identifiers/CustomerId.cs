using System.Text.Json.Serialization;

namespace Automation.Profiles.Identifiers;

/// <summary>A customer's id as the exports give it; the stored records hold the text.</summary>
[JsonConverter(typeof(IdentifierJsonConverter<CustomerId>))]
public readonly record struct CustomerId(string Value) : IIdentifier<CustomerId>
{
    public static CustomerId From(string value) => new(value);

    public override string ToString() => Value;
}
