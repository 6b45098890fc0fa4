using Automation.Personalization;
using NodaTime;

namespace Automation.Delivery;

/// <summary>A rendered message and when it should reach the customer.</summary>
public sealed record OutgoingMessage(RenderedMessage Message, Instant SendAt);

/// <summary>What a sender did with one message.</summary>
/// <param name="Detail">Where it went (file, provider id) or, when it failed, why.</param>
public sealed record SendOutcome(string MessageId, bool Delivered, string Detail);

/// <summary>
/// Hands messages to a delivery channel, a batch at a time. Sending the same message id twice must
/// not reach the customer twice (the outbox keeps one file per id; a provider dedupes on the id).
/// </summary>
public interface IMessageSender
{
    Task<IReadOnlyList<SendOutcome>> SendAsync(IReadOnlyList<OutgoingMessage> batch, CancellationToken cancellationToken = default);
}
