using Automation.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace Automation.Functions.Planning;

/// <summary>Fetches and caches the forecasts the next plan warns about (the day after the day it plans ahead), before it runs.</summary>
public sealed class RefreshPollen(PipelineJobs jobs)
{
    [Function(nameof(RefreshPollen))]
    public async Task RunAsync([TimerTrigger("%RefreshPollenSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        await jobs.RefreshPollenAsync(jobs.Ahead(), cancellationToken);
}
