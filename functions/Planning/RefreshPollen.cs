using Automation.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace Automation.Functions.Planning;

/// <summary>Fetches and caches tomorrow's pollen forecasts before the plan that warns about them.</summary>
public sealed class RefreshPollen(PipelineJobs jobs)
{
    [Function(nameof(RefreshPollen))]
    public async Task RunAsync([TimerTrigger("%RefreshPollenSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        await jobs.RefreshPollenAsync(jobs.Today(), cancellationToken);
}
