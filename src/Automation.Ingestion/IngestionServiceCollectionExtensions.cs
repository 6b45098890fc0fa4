using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;

namespace Automation.Ingestion;

public static class IngestionServiceCollectionExtensions
{
    /// <summary>
    /// Registers ingestion with its options bound from <c>Automation:Ingestion</c> and validated at start.
    /// A store (<c>AddSqliteStore</c> or another backend) must be registered too.
    /// </summary>
    public static IServiceCollection AddAutomationIngestion(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IngestionOptions>()
            .Bind(configuration.GetSection(IngestionOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.TryAddSingleton<IngestionService>();
        return services;
    }
}
