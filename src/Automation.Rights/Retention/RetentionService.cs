using System.Runtime.CompilerServices;
using Automation.Profiles.Erasure;
using Automation.Profiles.Identifiers;
using Automation.Profiles.Storage;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace Automation.Rights.Retention;

/// <summary>A customer the retention rule would erase.</summary>
public sealed record InactiveCustomer(CustomerId CustomerId, Instant LastActivity);

/// <summary>What one retention pass did.</summary>
/// <param name="InactiveBefore">The cutoff: customers last active before it were erased; <c>null</c> when that rule is off.</param>
/// <param name="LinesFoldedBefore">Transaction lines that occurred before it were folded (<see cref="ILineFolding"/>); <c>null</c> when that rule is off.</param>
/// <param name="BlockedBy">Consents exports not completely ingested: while there are any, the pass does nothing.</param>
public sealed record RetentionOutcome(Instant? InactiveBefore, ErasureTotals Erased, Instant? LinesFoldedBefore, long FoldedLines, IReadOnlyList<IncompleteConsentsExport> BlockedBy)
{
    /// <summary>What each rule that is on did, in words.</summary>
    public string Describe() => string.Join("; ", new[]
    {
        InactiveBefore is null ? null : Erased.Describe(),
        LinesFoldedBefore is null ? null : $"{FoldedLines} transaction line(s) folded into their profiles' aggregates",
    }.OfType<string>());
}

/// <summary>
/// The daily retention pass (<see cref="RetentionSettings"/>): erases the customers inactive for longer
/// than <see cref="RetentionSettings.InactiveMonths"/>, through the same erasure as a request, and folds
/// the transaction lines older than <see cref="RetentionSettings.TransactionLineMonths"/>. The hosts
/// run it before each day's plan (<c>run</c>, <c>serve</c>, the Functions app's PlanDay).
/// </summary>
public sealed class RetentionService(
    RetentionSettings settings, ICustomerProfileStore profiles, ICustomerEraser eraser, ILineFolding folding, IConsentsGate consentsGate, IClock clock,
    ILogger<RetentionService> logger)
{
    // Erased while the pass reads on: memory holds one batch of ids, whatever the number of customers.
    private const int ErasureBatch = 500;

    public RetentionSettings Settings => settings;

    /// <summary>The customers the rule would erase now, as the store streams them; nothing when it is off.</summary>
    public async IAsyncEnumerable<InactiveCustomer> FindInactiveAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (settings.InactiveMonths == 0) yield break;
        var cutoff = RetentionPolicy.Cutoff(clock.GetCurrentInstant(), settings.InactiveMonths);
        await foreach (var profile in profiles.ReadAllAsync(cancellationToken))
        {
            if (RetentionPolicy.LastActivity(profile) is { } last && last < cutoff) yield return new InactiveCustomer(new CustomerId(profile.CustomerId), last);
        }
    }

    /// <summary>
    /// Erases the inactive customers and folds old lines; <c>null</c> when retention is off. Nothing is
    /// done while the consents gate is closed: an export still arriving may hold a customer's latest activity.
    /// </summary>
    public async Task<RetentionOutcome?> ApplyAsync(CancellationToken cancellationToken = default)
    {
        if (!settings.Enabled) return null;
        var now = clock.GetCurrentInstant();
        Instant? inactiveBefore = settings.InactiveMonths > 0 ? RetentionPolicy.Cutoff(now, settings.InactiveMonths) : null;
        Instant? linesBefore = settings.TransactionLineMonths > 0 ? RetentionPolicy.Cutoff(now, settings.TransactionLineMonths) : null;
        if (await consentsGate.IncompleteAsync(cancellationToken) is { Count: > 0 } incomplete)
        {
            logger.LogWarning("{Blocked}", IncompleteConsentsExport.Blocking(incomplete, "is erased or folded by retention"));
            return new RetentionOutcome(inactiveBefore, ErasureTotals.Zero, linesBefore, 0, incomplete);
        }

        var erased = ErasureTotals.Zero;
        var batch = new List<CustomerId>(ErasureBatch);
        await foreach (var inactive in FindInactiveAsync(cancellationToken))
        {
            batch.Add(inactive.CustomerId);
            if (batch.Count < ErasureBatch) continue;
            erased = erased.Add(await eraser.EraseAsync(batch, cancellationToken));
            batch.Clear();
        }

        if (batch.Count > 0) erased = erased.Add(await eraser.EraseAsync(batch, cancellationToken));
        if (erased.Customers > 0) await eraser.PurgeAsync(cancellationToken);
        var folded = linesBefore is { } before ? await folding.FoldAsync(before, cancellationToken) : 0;
        var outcome = new RetentionOutcome(inactiveBefore, erased, linesBefore, folded, []);
        logger.LogInformation("Retention: {Outcome} (inactive since before {InactiveBefore}; lines before {LinesBefore})", outcome.Describe(), inactiveBefore, linesBefore);
        return outcome;
    }
}
