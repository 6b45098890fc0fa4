using Automation.Settings;
using Automation.Churn.Training;
using Automation.ContextSources.Areas;
using Automation.ContextSources.Pollen;
using Automation.Ingestion;
using Automation.Planning;
using Automation.Planning.Days;
using Automation.Planning.Mailboxes;
using Automation.Messages;
using Automation.Profiles.Erasure;
using Automation.Profiles.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;

namespace Automation.Storage.Cosmos;

public static class CosmosStoreServiceCollectionExtensions
{
    /// <summary>Registers the Cosmos DB store, bound from <c>Automation:Cosmos</c>: one client for the process.</summary>
    public static IServiceCollection AddCosmosStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings(configuration, CosmosStoreSettings.Read);
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.AddMetrics();
        services.AddSingleton<CosmosUsageMeter>();
        services.AddSingleton<CosmosContainers>();
        services.AddSingleton<CosmosProfileStore>();
        services.AddSingleton<ICustomerProfileStore>(sp => sp.GetRequiredService<CosmosProfileStore>());
        services.AddSingleton<ICustomerLines>(sp => sp.GetRequiredService<CosmosProfileStore>());
        services.AddSingleton<CosmosErasureStore>();
        services.AddSingleton<IErasureStore>(sp => sp.GetRequiredService<CosmosErasureStore>());
        services.AddSingleton<ILineFolding, CosmosLineFolding>();
        services.AddSingleton<IIngestionLedger, CosmosIngestionLedger>();
        services.AddSingleton<IConsentsGate, CosmosConsentsGate>();
        services.AddSingleton<IPlannedDays, CosmosPlannedDays>();
        services.AddSingleton<IPlanRecords, CosmosPlanRecords>();
        services.AddSingleton<CosmosMailboxes>();
        services.AddSingleton<IMailboxes>(sp => sp.GetRequiredService<CosmosMailboxes>());
        services.AddSingleton<IMessageLog, CosmosMessageLog>();
        services.AddSingleton<IPlanningFeed, CosmosPlanningFeed>();
        services.AddSingleton<CosmosContextStore>();
        services.AddSingleton<IForecastAreaStore>(sp => sp.GetRequiredService<CosmosContextStore>());
        services.AddSingleton<IPollenForecastCache>(sp => sp.GetRequiredService<CosmosContextStore>());
        services.AddSingleton<IChurnModelStore, CosmosChurnModelStore>();
        return services;
    }
}
