using Automation.Reporting.Outcomes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using NodaTime;

namespace Automation.Functions.Reporting;

/// <summary>The outcome report (docs/reporting.md) as JSON or as its HTML page, for whoever holds a function key.</summary>
public sealed class ReportOutcomes(OutcomeReport report, IClock clock)
{
    [Function(nameof(ReportOutcomes))]
    public async Task<IActionResult> RunAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = OutcomeReportHttp.Route)] HttpRequest request)
    {
        await OutcomeReportHttp.HandleAsync(report, clock, request.HttpContext);
        return new EmptyResult();
    }
}
