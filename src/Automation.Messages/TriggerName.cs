namespace Automation.Messages;

/// <summary>A trigger's name (<c>birthday</c>, <c>churn_risk</c>, <c>pollen</c>), typed so it cannot stand in for another id.</summary>
public readonly record struct TriggerName(string Value)
{
    public override string ToString() => Value;
}
