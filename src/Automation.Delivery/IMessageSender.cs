using Automation.Messages;
using Automation.Personalization;
using NodaTime;

namespace Automation.Delivery;

/// <summary>A rendered message and when it should reach the customer.</summary>
public sealed record OutgoingMessage(RenderedMessage Message, Instant SendAt);

public enum SendResult
{
    /// <summary>The channel took it (a provider's 202: accepted, not yet delivered).</summary>
    Sent,
    /// <summary>The channel did not take it and said so; sending it again later is safe.</summary>
    Failed,
    /// <summary>The channel refused this message for good; it is never sent again.</summary>
    Rejected,
    /// <summary>Nobody knows whether the channel took it (a timeout mid-request); never sent again automatically.</summary>
    Unknown,
}

/// <summary>What a sender did with one message.</summary>
/// <param name="Detail">Where it went (file, provider id) or, when it did not go, why.</param>
public sealed record SendOutcome(MessageId MessageId, SendResult Result, string Detail);

/// <summary>
/// What a sender tells before and after each hand-over. Marking messages as sending before a request
/// that has no idempotency key is what makes a crash leave them as "unknown" rather than resend them.
/// </summary>
public interface ISendJournal
{
    /// <summary>Before the messages leave; a message already marked is not marked again.</summary>
    Task SendingAsync(IEnumerable<OutgoingMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>What came of them; each message gets exactly one outcome.</summary>
    Task RecordAsync(IReadOnlyList<SendOutcome> outcomes, CancellationToken cancellationToken = default);
}

/// <summary>Hands messages to a delivery channel, a batch at a time.</summary>
public interface IMessageSender
{
    /// <summary>How far ahead the channel can schedule a message; later ones wait in our queue. <c>null</c>: no limit.</summary>
    Duration? SchedulingHorizon { get; }

    /// <summary>Sends the batch, reporting through <paramref name="journal"/>. Returns the number of requests made to the provider.</summary>
    Task<int> SendAsync(IReadOnlyList<OutgoingMessage> batch, ISendJournal journal, CancellationToken cancellationToken = default);
}
