using Automation.Hosting;
using Automation.Hosting.Telemetry;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
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
    public const string ApplicationInsightsConnectionStringKey = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>ASP.NET Core integration for HTTP, OpenTelemetry to Application Insights, and the pipeline from the app settings.</summary>
    public static FunctionsApplicationBuilder AddAutomationFunctions(this FunctionsApplicationBuilder builder)
    {
        builder.ConfigureFunctionsWebApplication();
        var telemetry = builder.Services.AddAutomationTelemetry(builder.Configuration).UseFunctionsWorkerDefaults();
        if (!string.IsNullOrWhiteSpace(builder.Configuration[ApplicationInsightsConnectionStringKey]))
        {
            // Local authentication is off on the Application Insights resource: telemetry goes with the app's identity's token.
            var clientId = builder.Configuration["AZURE_CLIENT_ID"];
            telemetry.UseAzureMonitorExporter(exporter => exporter.Credential = string.IsNullOrWhiteSpace(clientId)
                ? new DefaultAzureCredential()
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId)));
        }

        // The same composition as the command line and automation serve, from the app settings.
        builder.Services.AddAutomation(builder.Configuration).AddSingleton<MarketerConsole.Settings.ISettingsHost, Marketing.AppSettingsHost>();
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
