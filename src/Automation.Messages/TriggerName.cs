using System.Text.Json.Serialization;
using Automation.Profiles.Identifiers;

namespace Automation.Messages;

/// <summary>A trigger's name (<c>birthday</c>, <c>churn_risk</c>, <c>pollen</c>), typed so it cannot stand in for another id.</summary>
[JsonConverter(typeof(IdentifierJsonConverter<TriggerName>))]
public readonly record struct TriggerName(string Value) : IIdentifier<TriggerName>
{
    public static TriggerName From(string value) => new(value);

    public override string ToString() => Value;
}
