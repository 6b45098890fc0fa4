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
    Sent,
    /// <summary>Delivery failed; the next delivery run tries again.</summary>
    Failed,
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
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static MessageStatus Parse(string name) => name switch
    {
        "planned" => MessageStatus.Planned,
        "held_out" => MessageStatus.HeldOut,
        "suppressed" => MessageStatus.Suppressed,
        "sent" => MessageStatus.Sent,
        "failed" => MessageStatus.Failed,
        _ => throw new FormatException($"'{name}' is not a message status."),
    };

    /// <summary>
    /// A message in any of these states exists for good: its id is never planned again, and it counts
    /// toward frequency caps and cooldowns (held out ones too, so the holdout group is treated alike).
    /// Only a suppressed decision may later turn into a message.
    /// </summary>
    public static bool IsFinal(this MessageStatus status) => status != MessageStatus.Suppressed;
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
}

/// <summary>What planning needs to know of a past message: enough for never-twice, cooldowns and caps.</summary>
public readonly record struct MessageHistoryEntry(string MessageId, string Trigger, string? CooldownKey, LocalDate PlannedFor, MessageStatus Status, string? ReasonCode);
