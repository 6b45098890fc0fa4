using Automation.Profiles.Identifiers;
using NodaTime;

namespace Automation.Profiles.Erasure;

/// <summary>
/// Erasure (GDPR Art. 17) in one store backend: everything the store holds about a customer goes, and a
/// <see cref="Tombstone"/> stays so the customer cannot come back with an old export.
/// </summary>
public interface IErasureStore
{
    /// <summary>
    /// Removes the customer's profile (with its consent registers), transaction lines and place in the
    /// mailboxes, and keeps the customer's messages only as counts: under the tombstone instead of the id,
    /// without data, reason, detail or report details; one still waiting for delivery is suppressed as
    /// <c>erased</c>. Leaves the tombstone first, so a run ingesting meanwhile cannot bring the customer back.
    /// Idempotent: erasing again removes anything left and says the customer was erased before.
    /// </summary>
    /// <returns>Per customer, in order, what was removed.</returns>
    /// <remarks>A batch, because some of it is a scan (the embedded store keys transaction lines by transaction): one per batch.</remarks>
    Task<IReadOnlyList<StoreErasure>> EraseAsync(IReadOnlyList<CustomerId> customers, Instant at, CancellationToken cancellationToken = default);

    /// <summary>Whether the customer was erased.</summary>
    Task<bool> IsErasedAsync(CustomerId customerId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes what was removed unrecoverable from the store's own files, once after a batch of erasures:
    /// the embedded store rewrites its database (deleted rows otherwise linger in free pages and the
    /// write-ahead log); Cosmos DB removes deleted documents itself.
    /// </summary>
    Task PurgeAsync(CancellationToken cancellationToken = default);
}

/// <summary>What one store erased for one customer.</summary>
/// <param name="ErasedBefore">A tombstone stood already (then usually nothing else is left).</param>
/// <param name="Messages">Messages whose personal data were removed (they stay, as counts).</param>
public sealed record StoreErasure(bool ErasedBefore, bool Profile, int TransactionLines, int Messages);
