using Automation.Messages;

namespace Automation.Planning.Policies;

/// <summary>
/// The other customers at a customer's address and their messages: what one message per address a day
/// and per occasion, and the frequency cap per address, are decided on.
/// </summary>
public sealed record SameAddress(string MailboxKey, IReadOnlyList<string> Others, IReadOnlyList<MessageRecord> Messages)
{
    /// <summary>The others' messages that exist for good (<see cref="MessageStatuses.IsFinal"/>).</summary>
    public IEnumerable<MessageRecord> Final => Messages.Where(m => m.Status.IsFinal());

    public string OthersText => Others.Count == 1 ? $"customer {Others[0]}" : $"customers {string.Join(", ", Others)}";
}
