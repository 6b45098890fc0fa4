using Automation.Delivery;
using Automation.Ingestion;
using Automation.Planning;
using Automation.Storage.Cosmos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Automation.Hosting.Telemetry;

/// <summary>
/// OpenTelemetry for every host, as eShop's service defaults do it: the pipeline's spans and
/// instruments (docs/operations.md), HTTP client calls and the runtime's own metrics, and logs through
/// OpenTelemetry. Exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; the Functions app
/// adds the Azure Monitor exporter.
/// </summary>
public static class TelemetryServiceCollectionExtensions
{
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ServiceName = "automation";

    /// <summary>The activity sources and meters of the pipeline's projects.</summary>
    public static IReadOnlyList<string> Sources { get; } = [IngestionTelemetry.Name, PlanningTelemetry.Name, DeliveryTelemetry.Name, CosmosUsageMeter.Name];

    public static IOpenTelemetryBuilder AddAutomationTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing => tracing.AddSource([.. Sources]).AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics.AddMeter([.. Sources]).AddHttpClientInstrumentation().AddRuntimeInstrumentation())
            // Scopes carry the export, content, plan day and message ids that tie a log line to its work.
            .WithLogging(configureBuilder: null, configureOptions: logging =>
            {
                logging.IncludeScopes = true;
                logging.IncludeFormattedMessage = true;
            });
        if (ExportsOverOtlp(configuration)) telemetry.UseOtlpExporter();
        return telemetry;
    }

    public static bool ExportsOverOtlp(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);
}
