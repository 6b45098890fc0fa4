using NodaTime;

namespace Automation.Messages;

/// <summary>
/// What planning and the outcome report need to know of a past message: enough for never-twice,
/// cooldowns and caps, and for comparing what customers did after the send time.
/// </summary>
/// <param name="SendAt">When it was (or, held out, would have been) sent; null for a suppressed decision.</param>
/// <param name="Reported">The kinds of provider report it has had.</param>
public readonly record struct MessageHistoryEntry(
    MessageId MessageId,
    TriggerName Trigger,
    string? CooldownKey,
    LocalDate PlannedFor,
    MessageStatus Status,
    ReasonCode? ReasonCode,
    Instant? SendAt = null,
    ReportedEvents Reported = ReportedEvents.None)
{
    public static MessageHistoryEntry Of(MessageRecord record) => new(
        record.MessageId, record.Trigger, record.CooldownKey, record.PlannedFor, record.Status, record.ReasonCode,
        record.SendAt, ReportedEventFlags.Of(record.Events));
}
