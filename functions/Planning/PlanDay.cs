using Automation.Hosting;
using Automation.Hosting.Work;
using Microsoft.Azure.Functions.Worker;

namespace Automation.Functions.Planning;

/// <summary>
/// The daily plan, scaled out: one queue message per Cosmos DB feed range (so planning spreads over
/// as many instances as the data has physical partitions), and one sweep of what earlier days left.
/// </summary>
public sealed class PlanDay(PipelineJobs jobs)
{
    [Function(nameof(PlanDay))]
    public async Task<PlanDayOutput> RunAsync([TimerTrigger("%PlanDaySchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var day = await jobs.StartDayAsync(jobs.Today(), cancellationToken);
        return new PlanDayOutput(day.Shards.Select(WorkJson.Serialize).ToArray(), WorkJson.Serialize(day.Sweep));
    }
}

public sealed record PlanDayOutput(
    [property: QueueOutput(QueueNames.PlanShards)] string[] Shards,
    [property: QueueOutput(QueueNames.Deliveries)] string Sweep);
