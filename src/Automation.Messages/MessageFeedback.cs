namespace Automation.Messages;

/// <summary>
/// How a provider's report changes a message: pure, so both stores apply exactly the same rule inside
/// their own atomic update.
/// </summary>
public static class MessageFeedback
{
    /// <summary>Enough for any real message's history; beyond it (a bot opening a mail all day) reports are dropped.</summary>
    public const int MaxEventsPerMessage = 100;

    /// <summary>
    /// The message with the event added and its status moved on, or <c>null</c> when the event changes
    /// nothing: a duplicate (same provider event id, or same type at the same second: providers resend
    /// batches and may give a resent event a new id) or one past <see cref="MaxEventsPerMessage"/>.
    /// </summary>
    public static MessageRecord? Apply(MessageRecord message, MessageEvent reported)
    {
        foreach (var seen in message.Events)
        {
            if (seen.Type == reported.Type && seen.At == reported.At) return null;
            if (reported.ProviderEventId is { } id && seen.ProviderEventId == id) return null;
        }

        if (message.Events.Count >= MaxEventsPerMessage) return null;
        var events = message.Events.Append(reported).OrderBy(e => e.At).ToList();
        return message with { Status = StatusAfter(message.Status, reported.Type), Events = events };
    }

    /// <summary>
    /// Only forward: a report never turns a delivered message back into a sent one, whatever order the
    /// provider's reports arrive in. Any sign of the provider having the message settles an unknown send.
    /// </summary>
    private static MessageStatus StatusAfter(MessageStatus current, string type)
    {
        var handedOver = current is MessageStatus.Sent or MessageStatus.Unknown or MessageStatus.Sending;
        return type switch
        {
            DeliveryEventTypes.Bounce => MessageStatus.Bounced,
            DeliveryEventTypes.Dropped => MessageStatus.Dropped,
            DeliveryEventTypes.Delivered or DeliveryEventTypes.Open or DeliveryEventTypes.Click or DeliveryEventTypes.SpamReport
                or DeliveryEventTypes.Unsubscribe or DeliveryEventTypes.GroupUnsubscribe or DeliveryEventTypes.GroupResubscribe
                when handedOver => MessageStatus.Delivered,
            DeliveryEventTypes.Processed or DeliveryEventTypes.Deferred or DeliveryEventTypes.Blocked
                when current is MessageStatus.Unknown or MessageStatus.Sending => MessageStatus.Sent,
            _ => current,
        };
    }
}
