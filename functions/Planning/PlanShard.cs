using Automation.Hosting;
using Automation.Hosting.Work;
using Automation.Profiles.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Automation.Functions.Planning;

/// <summary>
/// Plans one feed range and hands the messages it planned to delivery in batches. While a consents
/// export is not completely ingested the shard fails, so the queue offers it again later: the day is
/// recorded as planned when its shards are handed out, so a shard dropped here would be a day lost.
/// </summary>
public sealed class PlanShard(PipelineJobs jobs, ILogger<PlanShard> logger)
{
    [Function(nameof(PlanShard))]
    [QueueOutput(QueueNames.Deliveries)]
    public async Task<string[]> RunAsync([QueueTrigger(QueueNames.PlanShards)] string message, CancellationToken cancellationToken)
    {
        var outcome = await jobs.PlanShardAsync(WorkJson.Deserialize<PlanShardWork>(message), cancellationToken);
        if (outcome.Summary.BlockedBy.Count > 0) throw new ConsentsGateClosedException(IncompleteConsentsExport.Blocking(outcome.Summary.BlockedBy, "is planned"));

        logger.LogInformation("Planned {Customers} customers of a range: {Planned} messages, {HeldOut} held out, {AlreadyPlanned} already planned",
            outcome.Summary.Customers, outcome.Summary.Planned, outcome.Summary.HeldOut, outcome.Summary.AlreadyPlanned);
        return outcome.Deliveries.Select(WorkJson.Serialize).ToArray();
    }
}
