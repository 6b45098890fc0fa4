using Automation.Hosting;
using Automation.Hosting.Work;
using Microsoft.Azure.Functions.Worker;

namespace Automation.Functions.Planning;

/// <summary>Plans one feed range and hands the messages it planned to delivery in batches.</summary>
public sealed class PlanShard(PipelineJobs jobs)
{
    [Function(nameof(PlanShard))]
    [QueueOutput(QueueNames.Deliveries)]
    public async Task<string[]> RunAsync([QueueTrigger(QueueNames.PlanShards)] string message, CancellationToken cancellationToken)
    {
        var outcome = await jobs.PlanShardAsync(WorkJson.Deserialize<PlanShardWork>(message), cancellationToken);
        return outcome.Deliveries.Select(WorkJson.Serialize).ToArray();
    }
}
