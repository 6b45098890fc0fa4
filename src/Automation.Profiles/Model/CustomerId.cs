namespace Automation.Profiles.Model;

/// <summary>
/// A customer's id as the exports give it. A type of its own so that an id of another kind (a message,
/// a trigger) passed in its place does not compile; the stored records still hold the text.
/// </summary>
public readonly record struct CustomerId(string Value)
{
    public override string ToString() => Value;
}
