using Automation.Profiles.Changes;
using Automation.Profiles.Model;

namespace Automation.Profiles.Storage;

/// <summary>
/// The profile store. Every read and write is keyed by customer id, so a backend can partition by it.
/// </summary>
public interface ICustomerProfileStore
{
    Task<CustomerProfile?> GetAsync(string customerId, CancellationToken cancellationToken = default);

    /// <summary>Streams every profile exactly once, in ascending customer-id order.</summary>
    IAsyncEnumerable<CustomerProfile> ReadAllAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Merges a batch of validated changes into the profiles they name. A change of one customer is
    /// either applied with all its effects or not at all, so a crash never leaves half an update; a
    /// transaction line already recorded from another source is counted as a duplicate and ignored
    /// (see <see cref="ChangeApplier"/>).
    /// </summary>
    Task<ApplyResult> ApplyAsync(IReadOnlyList<ProfileChange> changes, CancellationToken cancellationToken = default);
}

public readonly record struct ApplyResult(int Applied, int Duplicates)
{
    public static ApplyResult operator +(ApplyResult a, ApplyResult b) => new(a.Applied + b.Applied, a.Duplicates + b.Duplicates);

    public static ApplyResult Add(ApplyResult a, ApplyResult b) => a + b;
}
