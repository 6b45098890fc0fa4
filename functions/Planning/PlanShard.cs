using Automation.Hosting;
using Automation.Hosting.Work;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Automation.Functions.Planning;

/// <summary>Plans one feed range and hands the messages it planned to delivery in batches.</summary>
public sealed class PlanShard(PipelineJobs jobs, ILogger<PlanShard> logger)
{
    [Function(nameof(PlanShard))]
    [QueueOutput(QueueNames.Deliveries)]
    public async Task<string[]> RunAsync([QueueTrigger(QueueNames.PlanShards)] string message, CancellationToken cancellationToken)
    {
        var outcome = await jobs.PlanShardAsync(WorkJson.Deserialize<PlanShardWork>(message), cancellationToken);
        logger.LogInformation("Planned {Customers} customers of a range: {Planned} messages, {HeldOut} held out, {AlreadyPlanned} already planned",
            outcome.Summary.Customers, outcome.Summary.Planned, outcome.Summary.HeldOut, outcome.Summary.AlreadyPlanned);
        return outcome.Deliveries.Select(WorkJson.Serialize).ToArray();
    }
}
