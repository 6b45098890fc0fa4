using Automation.Hosting;
using Automation.Hosting.Work;
using Microsoft.Azure.Functions.Worker;

namespace Automation.Functions.Delivery;

/// <summary>Sends one batch through SendGrid; a batch delivered twice sends nothing twice.</summary>
public sealed class DeliverMessages(PipelineJobs jobs)
{
    [Function(nameof(DeliverMessages))]
    public async Task RunAsync([QueueTrigger(QueueNames.Deliveries)] string message, CancellationToken cancellationToken) =>
        await jobs.DeliverAsync(WorkJson.Deserialize<DeliveryWork>(message), cancellationToken);
}
