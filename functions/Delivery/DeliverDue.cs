using Automation.Hosting;
using Automation.Profiles.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Automation.Functions.Delivery;

/// <summary>
/// Every few minutes: the messages that fell due since the plan and were not in its work items (a
/// channel that cannot hold a message until its send time, or one due beyond SendGrid's 72-hour
/// horizon), and failed sends tried again, while their day's send window is open.
/// </summary>
public sealed class DeliverDue(PipelineJobs jobs, ILogger<DeliverDue> logger)
{
    [Function(nameof(DeliverDue))]
    public async Task RunAsync([TimerTrigger("%DeliverDueSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var delivered = await jobs.DeliverWaitingAsync(cancellationToken);
        if (delivered.BlockedBy.Count > 0)
        {
            logger.LogWarning("{Blocked}", IncompleteConsentsExport.Blocking(delivered.BlockedBy, "is delivered"));
            return;
        }

        if (delivered.Sent + delivered.Failed + delivered.Rejected + delivered.Unknown + delivered.Suppressed.Values.Sum() > 0)
        {
            logger.LogInformation("Delivered what fell due: {Sent} sent, {Failed} failed, {Rejected} rejected, {Unknown} unknown, {Suppressed} suppressed, {Waiting} still waiting",
                delivered.Sent, delivered.Failed, delivered.Rejected, delivered.Unknown, delivered.Suppressed.Values.Sum(), delivered.Waiting);
        }
    }
}
