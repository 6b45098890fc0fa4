using Automation.Hosting;
using Automation.Hosting.Work;
using Automation.Profiles.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Automation.Functions.Delivery;

/// <summary>
/// Sends one batch through SendGrid; a batch delivered twice sends nothing twice. While a consents
/// export is not completely ingested the batch fails, so the queue offers it again later (and, after
/// its last try, the next day's sweep picks its messages up): nothing is sent past an unread opt-out.
/// </summary>
public sealed class DeliverMessages(PipelineJobs jobs)
{
    [Function(nameof(DeliverMessages))]
    public async Task RunAsync([QueueTrigger(QueueNames.Deliveries)] string message, CancellationToken cancellationToken)
    {
        var delivered = await jobs.DeliverAsync(WorkJson.Deserialize<DeliveryWork>(message), cancellationToken);
        if (delivered.BlockedBy.Count > 0) throw new ConsentsGateClosedException(IncompleteConsentsExport.Blocking(delivered.BlockedBy, "is delivered"));
    }
}
