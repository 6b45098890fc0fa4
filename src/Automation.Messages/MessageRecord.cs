using Automation.Profiles.Identifiers;
using NodaTime;

namespace Automation.Messages;

/// <summary>One entry of the message log: a decision about one occasion of one trigger for one customer.</summary>
/// <param name="PlannedFor">The customer's calendar day the message belongs to.</param>
/// <param name="Reason">Why the trigger fired, in words.</param>
/// <param name="ReasonCode">For suppressed and held-out messages, the policy's code (docs/planning.md).</param>
/// <param name="Data">The trigger's values for the template, kept so delivery renders what planning checked.</param>
public sealed record MessageRecord(
    MessageId MessageId,
    CustomerId CustomerId,
    TriggerName Trigger,
    string OccasionKey,
    string? CooldownKey,
    LocalDate PlannedFor,
    Instant? SendAt,
    MessageStatus Status,
    ReasonCode? ReasonCode,
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
