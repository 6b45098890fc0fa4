using Automation.Profiles.Changes;
using Automation.Profiles.Model;

namespace Automation.Profiles.Storage;

/// <summary>
/// The profile store. Every read and write is keyed by customer id, so a backend can partition by it.
/// </summary>
public interface ICustomerProfileStore
{
    Task<CustomerProfile?> GetAsync(string customerId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams every profile exactly once, in an order of the backend's choosing (the embedded store
    /// goes by customer id, Cosmos DB by change-feed range). For tools and tests; the daily plan reads
    /// through its own feed, which a backend can split into ranges read in parallel.
    /// </summary>
    IAsyncEnumerable<CustomerProfile> ReadAllAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens a write session. Changes applied through it take effect at
    /// <see cref="IProfileWriter.CommitAsync"/>; disposing it discards what was not written, and a
    /// customer's changes land with all their effects or not at all. The embedded store commits a
    /// session's changes in one transaction; Cosmos DB, without transactions across customers, writes
    /// a long session's changes as it goes, customer by customer. Either way a crashed run is simply run
    /// again: the lines it recorded are recognised as replays.
    /// </summary>
    Task<IProfileWriter> OpenWriterAsync(CancellationToken cancellationToken = default);
}

/// <summary>
/// One writer at a time merges changes into profiles. A backend may keep the profiles it touched in
/// memory until the commit, which is what makes interleaved exports fast.
/// </summary>
public interface IProfileWriter : IAsyncDisposable
{
    /// <summary>
    /// Merges validated changes in order. A transaction line already recorded from another source is
    /// counted as a duplicate and ignored (see <see cref="ChangeApplier"/>). If this throws, the
    /// session is broken: dispose it, and nothing since the last commit is kept.
    /// </summary>
    Task ApplyAsync(IReadOnlyList<ProfileChange> changes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes everything applied since the last commit durable and says what it counted. The counts are
    /// final only here: on a backend with optimistic concurrency another writer may record the same
    /// transaction line first, and the commit then finds it a duplicate.
    /// </summary>
    Task<ApplyResult> CommitAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// What was committed since the last call found: the customers who got an address another customer
    /// already has (<see cref="Mailboxes.MailboxRules"/>), and the rows refused because their customer
    /// was erased. Ingestion reports each.
    /// </summary>
    WriterFindings TakeFindings();
}

/// <param name="Erased">Changes for customers who were erased (<see cref="Erasure.IErasureStore"/>): refused, so an old export cannot bring them back.</param>
public readonly record struct ApplyResult(int Applied, int Duplicates, int Erased = 0)
{
    public static ApplyResult operator +(ApplyResult a, ApplyResult b) => new(a.Applied + b.Applied, a.Duplicates + b.Duplicates, a.Erased + b.Erased);

}

public static class ProfileStoreExtensions
{
    /// <summary>Applies one set of changes in its own session and commits it: all of it, or nothing.</summary>
    public static async Task<ApplyResult> ApplyAsync(
        this ICustomerProfileStore store, IReadOnlyList<ProfileChange> changes, CancellationToken cancellationToken = default)
    {
        await using var writer = await store.OpenWriterAsync(cancellationToken);
        await writer.ApplyAsync(changes, cancellationToken);
        return await writer.CommitAsync(cancellationToken);
    }
}
