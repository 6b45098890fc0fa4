using Automation.Profiles.Identifiers;
using NodaTime;

namespace Automation.Messages;

/// <summary>
/// The message log, partitioned by customer like the profiles. Writes are create-if-absent per message
/// id, which is what makes planning the same day twice, or twice at once, produce one message. The
/// plan reads histories through <see cref="IPlanningFeed"/>, together with the profiles.
/// </summary>
public interface IMessageLog
{
    /// <summary>One customer's messages, oldest first.</summary>
    Task<IReadOnlyList<MessageRecord>> GetCustomerMessagesAsync(CustomerId customerId, CancellationToken cancellationToken = default);

    /// <summary>One message of one customer (a point read): how a worker given a batch of message keys finds them.</summary>
    Task<MessageRecord?> GetAsync(CustomerId customerId, MessageId messageId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records planning decisions. A record is written when its message id is new, or replaces a
    /// suppressed decision; a message that exists in any other state is left alone. Returns, per
    /// record, whether it was written.
    /// </summary>
    Task<IReadOnlyList<bool>> RecordAsync(IReadOnlyList<MessageRecord> records, CancellationToken cancellationToken = default);

    /// <summary>
    /// Planned, failed and sending messages for days up to <paramref name="through"/>: what delivery has
    /// to do, and the sends a crash may have left in flight (<see cref="MessageStatuses.AwaitsDelivery"/>).
    /// </summary>
    IAsyncEnumerable<MessageRecord> ReadUndeliveredAsync(LocalDate through, CancellationToken cancellationToken = default);

    /// <summary>Records what delivery did with a planned message (sent, failed, or suppressed at the last check).</summary>
    Task UpdateStatusAsync(MessageRecord message, MessageStatus status, ReasonCode? reasonCode, string? detail, Instant at, CancellationToken cancellationToken = default);

    /// <summary>
    /// The message with this id, whoever it belongs to: how a provider's report, and the link in the mail,
    /// which carry only our message id, find its customer. Only messages a sender took need to be found.
    /// </summary>
    Task<MessageRecord?> FindAsync(MessageId messageId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds a provider's report to a message with <see cref="MessageFeedback.Apply"/>, atomically against
    /// concurrent reports. Returns the updated message, or <c>null</c> when the report changed nothing
    /// (a duplicate) or the message no longer exists.
    /// </summary>
    Task<MessageRecord?> ApplyEventAsync(MessageRecord message, MessageEvent reported, CancellationToken cancellationToken = default);
}
