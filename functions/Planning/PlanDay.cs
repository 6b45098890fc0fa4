using Automation.Hosting;
using Automation.Hosting.Work;
using Automation.Profiles.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Automation.Functions.Planning;

/// <summary>
/// The daily plan, scaled out: for each owed day (the day ahead, and a missed day still open
/// somewhere), one queue message per Cosmos DB feed range (so planning spreads over as many instances
/// as the data has physical partitions), and one sweep of what earlier days left. The daily retention
/// pass (<c>Automation:Retention</c>) runs first.
/// </summary>
public sealed class PlanDay(PipelineJobs jobs, ILogger<PlanDay> logger)
{
    [Function(nameof(PlanDay))]
    public async Task<PlanDayOutput> RunAsync([TimerTrigger("%PlanDaySchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        await jobs.ApplyRetentionAsync(cancellationToken);
        var day = await jobs.StartOwedDaysAsync(cancellationToken);
        if (day.BlockedBy.Count > 0) logger.LogWarning("{Blocked}", IncompleteConsentsExport.Blocking(day.BlockedBy, "is planned"));
        else logger.LogInformation("Planning {Days} in {Shards} shards", day.Days.Count == 0 ? "nothing (every owed day is planned)" : string.Join(", ", day.Days), day.Shards.Count);
        return new PlanDayOutput(day.Shards.Select(WorkJson.Serialize).ToArray(), day.Sweep is { } sweep ? WorkJson.Serialize(sweep) : null);
    }
}

/// <param name="Sweep">Null when the day is not planned: the output binding then writes nothing.</param>
public sealed record PlanDayOutput(
    [property: QueueOutput(QueueNames.PlanShards)] string[] Shards,
    [property: QueueOutput(QueueNames.Deliveries)] string? Sweep);
