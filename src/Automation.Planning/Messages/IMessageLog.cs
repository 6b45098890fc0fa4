using NodaTime;

namespace Automation.Planning.Messages;

/// <summary>
/// The message log, partitioned by customer like the profiles. Writes are create-if-absent per message
/// id, which is what makes planning the same day twice, or twice at once, produce one message. The
/// plan reads histories through <see cref="IPlanningFeed"/>, together with the profiles.
/// </summary>
public interface IMessageLog
{
    /// <summary>One customer's messages, oldest first.</summary>
    Task<IReadOnlyList<MessageRecord>> GetCustomerMessagesAsync(string customerId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records planning decisions. A record is written when its message id is new, or replaces a
    /// suppressed decision; a message that exists in any other state is left alone. Returns, per
    /// record, whether it was written.
    /// </summary>
    Task<IReadOnlyList<bool>> RecordAsync(IReadOnlyList<MessageRecord> records, CancellationToken cancellationToken = default);

    /// <summary>Planned and failed messages for days up to <paramref name="through"/>: what delivery has to do.</summary>
    IAsyncEnumerable<MessageRecord> ReadUndeliveredAsync(LocalDate through, CancellationToken cancellationToken = default);

    /// <summary>Records what delivery did with a planned message (sent, failed, or suppressed at the last check).</summary>
    Task UpdateStatusAsync(MessageRecord message, MessageStatus status, string? reasonCode, string? detail, Instant at, CancellationToken cancellationToken = default);
}
