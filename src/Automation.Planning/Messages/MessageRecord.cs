using NodaTime;

namespace Automation.Planning.Messages;

public enum MessageStatus
{
    /// <summary>Decided and scheduled; delivery has not happened yet.</summary>
    Planned,
    /// <summary>Would have been sent, but the customer is in the trigger's holdout group.</summary>
    HeldOut,
    /// <summary>A policy stopped it; <see cref="MessageRecord.ReasonCode"/> says which.</summary>
    Suppressed,
    /// <summary>Handed to the provider and accepted by it (not yet delivered).</summary>
    Sent,
    /// <summary>Delivery failed before the provider accepted it; the next delivery run tries again.</summary>
    Failed,
    /// <summary>Being handed to the provider right now. Left behind by a crash, it becomes <see cref="Unknown"/>.</summary>
    Sending,
    /// <summary>A send whose outcome nobody saw (a crash or a timeout mid-request): never resent automatically.</summary>
    Unknown,
    /// <summary>The provider refused this message for good (say, an invalid address); never resent.</summary>
    Rejected,
    /// <summary>The receiving server accepted it (the provider's delivered event, or an open or click).</summary>
    Delivered,
    /// <summary>The receiving server refused it permanently.</summary>
    Bounced,
    /// <summary>The provider did not send it (a suppressed or invalid address).</summary>
    Dropped,
}

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

/// <summary>One entry of the message log: a decision about one occasion of one trigger for one customer.</summary>
/// <param name="PlannedFor">The customer's calendar day the message belongs to.</param>
/// <param name="Reason">Why the trigger fired, in words.</param>
/// <param name="ReasonCode">For suppressed and held-out messages, the policy's code (docs/planning.md).</param>
/// <param name="Data">The trigger's values for the template, kept so delivery renders what planning checked.</param>
public sealed record MessageRecord(
    string MessageId,
    string CustomerId,
    string Trigger,
    string OccasionKey,
    string? CooldownKey,
    LocalDate PlannedFor,
    Instant? SendAt,
    MessageStatus Status,
    string? ReasonCode,
    string Reason,
    IReadOnlyDictionary<string, string> Data,
    Instant DecidedAt)
{
    /// <summary>Delivery detail: the outbox file or provider id when sent, the error when failed.</summary>
    public string? Detail { get; init; }
    public Instant UpdatedAt { get; init; } = DecidedAt;

    /// <summary>What the provider reported about the message afterwards (delivered, open, bounce...), oldest first.</summary>
    public IReadOnlyList<MessageEvent> Events { get; init; } = [];
}

/// <summary>
/// One report from the delivery provider about a sent message.
/// </summary>
/// <param name="Type">The provider's event name (delivered, open, bounce...); unknown names are kept as they came.</param>
/// <param name="ProviderEventId">The provider's id of the event, when it gives one (it may change on retries).</param>
/// <param name="Detail">The provider's reason or response, with email addresses masked.</param>
public sealed record MessageEvent(string Type, Instant At, string? ProviderEventId, string? Detail);

/// <summary>What planning needs to know of a past message: enough for never-twice, cooldowns and caps.</summary>
public readonly record struct MessageHistoryEntry(string MessageId, string Trigger, string? CooldownKey, LocalDate PlannedFor, MessageStatus Status, string? ReasonCode);
