using System.Text.Json.Serialization;
using Automation.Profiles.Identifiers;

namespace Automation.Messages;

/// <summary>A message's id: "m" and 32 lowercase hex digits, derived from customer, trigger and occasion.</summary>
[JsonConverter(typeof(IdentifierJsonConverter<MessageId>))]
public readonly record struct MessageId(string Value) : IIdentifier<MessageId>
{
    public static MessageId From(string value) => new(value);

    public override string ToString() => Value;
}
