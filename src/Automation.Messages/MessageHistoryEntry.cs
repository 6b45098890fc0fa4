using NodaTime;

namespace Automation.Messages;

/// <summary>What planning needs to know of a past message: enough for never-twice, cooldowns and caps.</summary>
public readonly record struct MessageHistoryEntry(MessageId MessageId, TriggerName Trigger, string? CooldownKey, LocalDate PlannedFor, MessageStatus Status, ReasonCode? ReasonCode);
