using Automation.Messages;
using NodaTime.Text;

namespace Automation.Planning.Policies;

/// <summary>
/// Policy 1: a message with this id exists already (planned, held out, sent or failed), so this plan adds
/// nothing. Recording is create-if-absent on the id, so a concurrent plan cannot add a second one either.
/// </summary>
public static class NeverTwice
{
    public const string Name = "never twice";

    /// <summary>The history's entry of this very message, if it has one.</summary>
    public static MessageHistoryEntry? Previous(IReadOnlyList<MessageHistoryEntry> history, MessageId messageId)
    {
        MessageHistoryEntry? previous = null;
        foreach (var entry in history)
        {
            if (entry.MessageId == messageId) previous = entry;
        }

        return previous;
    }

    /// <summary>Why the occasion's message exists already, or <c>null</c> when it does not (for good).</summary>
    public static string? Check(MessageHistoryEntry? previous) =>
        previous is { } existing && existing.Status.IsFinal()
            ? $"this occasion's message was planned for {LocalDatePattern.Iso.Format(existing.PlannedFor)} and is {existing.Status.Name()}"
            : null;
}
