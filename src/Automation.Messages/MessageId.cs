namespace Automation.Messages;

/// <summary>A message's id: "m" and 32 lowercase hex digits, derived from customer, trigger and occasion.</summary>
public readonly record struct MessageId(string Value)
{
    public override string ToString() => Value;
}
