using Automation.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;

namespace Automation.Ingestion;

public static class IngestionServiceCollectionExtensions
{
    /// <summary>
    /// Registers ingestion with its settings read from <c>Automation:Ingestion</c>.
    /// A store (<c>AddSqliteStore</c> or another backend) must be registered too.
    /// </summary>
    public static IServiceCollection AddAutomationIngestion(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings(configuration, IngestionSettings.Read);
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.AddMetrics();
        services.TryAddSingleton<IngestionTelemetry>();
        services.TryAddSingleton<IngestionService>();
        return services;
    }
}
