using Automation.Reporting.Outcomes;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Reporting;

public static class ReportingServiceCollectionExtensions
{
    /// <summary>The outcome report; needs a store (its planning feed).</summary>
    public static IServiceCollection AddAutomationReporting(this IServiceCollection services) => services.AddSingleton<OutcomeReport>();
}
