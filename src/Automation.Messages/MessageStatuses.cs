namespace Automation.Messages;

public static class MessageStatuses
{
    public static string Name(this MessageStatus status) => status switch
    {
        MessageStatus.Planned => "planned",
        MessageStatus.HeldOut => "held_out",
        MessageStatus.Suppressed => "suppressed",
        MessageStatus.Sent => "sent",
        MessageStatus.Failed => "failed",
        MessageStatus.Sending => "sending",
        MessageStatus.Unknown => "unknown",
        MessageStatus.Rejected => "rejected",
        MessageStatus.Delivered => "delivered",
        MessageStatus.Bounced => "bounced",
        MessageStatus.Dropped => "dropped",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static MessageStatus Parse(string name) => name switch
    {
        "planned" => MessageStatus.Planned,
        "held_out" => MessageStatus.HeldOut,
        "suppressed" => MessageStatus.Suppressed,
        "sent" => MessageStatus.Sent,
        "failed" => MessageStatus.Failed,
        "sending" => MessageStatus.Sending,
        "unknown" => MessageStatus.Unknown,
        "rejected" => MessageStatus.Rejected,
        "delivered" => MessageStatus.Delivered,
        "bounced" => MessageStatus.Bounced,
        "dropped" => MessageStatus.Dropped,
        _ => throw new FormatException($"'{name}' is not a message status."),
    };

    /// <summary>
    /// A message in any of these states exists for good: its id is never planned again, and it counts
    /// toward frequency caps and cooldowns (held out ones too, so the holdout group is treated alike).
    /// Only a suppressed decision may later turn into a message.
    /// </summary>
    public static bool IsFinal(this MessageStatus status) => status != MessageStatus.Suppressed;

    /// <summary>What a delivery run picks up: planned, failed, and sends in flight (to find the ones a crash left).</summary>
    public static bool AwaitsDelivery(this MessageStatus status) => status is MessageStatus.Planned or MessageStatus.Failed or MessageStatus.Sending;
}
