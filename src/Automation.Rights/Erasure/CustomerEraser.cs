using Automation.Delivery.Outbox;
using Automation.Messages;
using Automation.Profiles.Erasure;
using Automation.Profiles.Identifiers;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace Automation.Rights.Erasure;

/// <summary>
/// Erasure (GDPR Art. 17) everywhere the product keeps a customer: the outbox's copies of their mail
/// first (found through the message log, which the store erasure then scrubs), then the store.
/// A crash in between leaves the store as it was, and erasing again finishes the work.
/// </summary>
public sealed class CustomerEraser(IErasureStore store, IMessageLog log, OutboxSender outbox, IClock clock, ILogger<CustomerEraser> logger) : ICustomerEraser
{
    public async Task<IReadOnlyList<CustomerErasure>> EraseAsync(IReadOnlyList<CustomerId> customers, CancellationToken cancellationToken = default)
    {
        var messages = new Dictionary<CustomerId, IReadOnlyList<MessageId>>();
        foreach (var customer in customers)
        {
            messages[customer] = [.. (await log.GetCustomerMessagesAsync(customer, cancellationToken)).Select(m => m.MessageId)];
        }

        // One pass over the outbox index for the whole batch, not one per customer.
        var outboxFiles = await outbox.ForgetAsync(messages, cancellationToken);

        var erased = await store.EraseAsync(customers, clock.GetCurrentInstant(), cancellationToken);
        // A customer named twice in a batch: the second time, as in the store, finds the first one's work done.
        var counted = new HashSet<CustomerId>();
        var results = customers.Select((customer, i) => new CustomerErasure(
            customer, erased[i].ErasedBefore, erased[i].Profile, erased[i].TransactionLines, erased[i].Messages, counted.Add(customer) ? outboxFiles[customer] : 0)).ToList();
        // Counts only: who was erased is exactly what must not stay behind in a log.
        logger.LogInformation("Erasure: {Totals}", ErasureTotals.Zero.Add(results).Describe());
        return results;
    }

    public Task PurgeAsync(CancellationToken cancellationToken = default) => store.PurgeAsync(cancellationToken);
}
