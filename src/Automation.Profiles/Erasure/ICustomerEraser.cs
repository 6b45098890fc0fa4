using Automation.Profiles.Identifiers;

namespace Automation.Profiles.Erasure;

/// <summary>
/// Erases customers everywhere the product keeps them: the store (<see cref="IErasureStore"/>) and the
/// copies of mail it wrote (the outbox). The command line's <c>forget</c>, the <c>erasures</c> export and
/// the retention job all go through it.
/// </summary>
public interface ICustomerEraser
{
    /// <summary>Erases each customer, in order; call <see cref="PurgeAsync"/> once after the last batch.</summary>
    Task<IReadOnlyList<CustomerErasure>> EraseAsync(IReadOnlyList<CustomerId> customers, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="IErasureStore.PurgeAsync"/>
    Task PurgeAsync(CancellationToken cancellationToken = default);
}

/// <summary>What was removed for one customer.</summary>
/// <param name="OutboxFiles">Copies of sent mail removed from the outbox folder.</param>
public sealed record CustomerErasure(CustomerId CustomerId, bool ErasedBefore, bool Profile, int TransactionLines, int Messages, int OutboxFiles);

/// <summary>The sum of several erasures, as a run's summary and an export's report give it.</summary>
public sealed record ErasureTotals(long Customers, long ErasedBefore, long Profiles, long TransactionLines, long Messages, long OutboxFiles)
{
    public static ErasureTotals Zero { get; } = new(0, 0, 0, 0, 0, 0);

    public ErasureTotals Add(IEnumerable<CustomerErasure> erased) => erased.Aggregate(this, (sum, e) => new ErasureTotals(
        sum.Customers + 1, sum.ErasedBefore + (e.ErasedBefore ? 1 : 0), sum.Profiles + (e.Profile ? 1 : 0),
        sum.TransactionLines + e.TransactionLines, sum.Messages + e.Messages, sum.OutboxFiles + e.OutboxFiles));

    /// <summary>One line for people: "2 customers erased (1 before): 1 profile, 12 transaction lines, 3 messages, 2 outbox files".</summary>
    public string Describe() =>
        $"{Customers} customer{(Customers == 1 ? "" : "s")} erased{(ErasedBefore > 0 ? $" ({ErasedBefore} before)" : "")}: " +
        $"{Profiles} profile{(Profiles == 1 ? "" : "s")}, {TransactionLines} transaction line{(TransactionLines == 1 ? "" : "s")}, " +
        $"{Messages} message{(Messages == 1 ? "" : "s")}, {OutboxFiles} outbox file{(OutboxFiles == 1 ? "" : "s")}";
}

/// <summary>A row of an <c>erasures</c> export: the customer asked to be forgotten. Ingestion hands it to <see cref="ICustomerEraser"/>, never to a profile writer.</summary>
public sealed record ErasureRequest(string CustomerId, Changes.LineSource Source) : Changes.ProfileChange(CustomerId, Source);
