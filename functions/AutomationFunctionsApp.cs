using Automation.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Automation.Functions;

/// <summary>
/// The Functions app's composition: Program.cs calls it, and so do the tests, which cannot start the
/// worker (it needs the Functions host's gRPC endpoint) but build the same app and call its functions.
/// </summary>
public static class AutomationFunctionsApp
{
    private const string ApplicationInsightsLoggerProvider = "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider";

    /// <summary>ASP.NET Core integration for HTTP, Application Insights, and the pipeline from the app settings.</summary>
    public static FunctionsApplicationBuilder AddAutomationFunctions(this FunctionsApplicationBuilder builder)
    {
        builder.ConfigureFunctionsWebApplication();
        builder.Services
            .AddApplicationInsightsTelemetryWorkerService()
            .ConfigureFunctionsApplicationInsights();
        // The Application Insights SDK adds a rule that keeps only Warning and above from every category;
        // without removing it, the plan summaries and every Information log never reach Application
        // Insights, whatever host.json says (Microsoft's isolated-worker guide removes it the same way).
        builder.Logging.Services.Configure<LoggerFilterOptions>(options =>
        {
            var warningsOnly = options.Rules.FirstOrDefault(rule => rule.ProviderName == ApplicationInsightsLoggerProvider);
            if (warningsOnly is not null) options.Rules.Remove(warningsOnly);
        });
        // The same composition as the command line and automation serve, from the app settings.
        builder.Services.AddAutomation(builder.Configuration);
        return builder;
    }

    /// <summary>
    /// Builds the app and reads every setting, so a wrong one (a bad <c>Automation:Policies</c> value, a
    /// misspelt section) stops the worker at start with a sentence naming it, not at the first trigger.
    /// </summary>
    /// <exception cref="Settings.SettingsValidationException">Every setting that is wrong or missing, one sentence each.</exception>
    public static IHost BuildCheckingSettings(this FunctionsApplicationBuilder builder)
    {
        var app = builder.Build();
        app.Services.ValidateAutomationSettings(sending: true);
        return app;
    }
}
