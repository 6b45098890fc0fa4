using System.Text.Json.Serialization;
using Automation.Profiles.Identifiers;

namespace Automation.Messages;

/// <summary>Why a message was not sent, as a policy names it (<c>opted_out</c>, <c>frequency_cap</c>; docs/planning.md lists them).</summary>
[JsonConverter(typeof(IdentifierJsonConverter<ReasonCode>))]
public readonly record struct ReasonCode(string Value) : IIdentifier<ReasonCode>
{
    public static ReasonCode From(string value) => new(value);

    public override string ToString() => Value;
}
