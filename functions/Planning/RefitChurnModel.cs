using Automation.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Automation.Functions.Planning;

/// <summary>Refits the churn model when the latest is RefitIntervalDays old; a failed fit keeps the previous model.</summary>
public sealed class RefitChurnModel(PipelineJobs jobs, ILogger<RefitChurnModel> logger)
{
    [Function(nameof(RefitChurnModel))]
    public async Task RunAsync([TimerTrigger("%RefitChurnModelSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        if (await jobs.RefitChurnModelIfDueAsync(jobs.Ahead(), cancellationToken) is { Failure: { } failure }) logger.LogWarning("Churn model fit failed: {Failure}", failure);
    }
}
