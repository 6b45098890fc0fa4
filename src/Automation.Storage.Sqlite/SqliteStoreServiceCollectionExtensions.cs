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
using Automation.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Storage.Sqlite;

public static class SqliteStoreServiceCollectionExtensions
{
    /// <summary>Registers the embedded SQLite store, with its settings from <c>Automation:Storage:Sqlite</c>.</summary>
    public static IServiceCollection AddSqliteStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings(configuration, SqliteStoreSettings.Read);
        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<SqliteProfileStore>();
        services.AddSingleton<ICustomerProfileStore>(sp => sp.GetRequiredService<SqliteProfileStore>());
        services.AddSingleton<ICustomerLines>(sp => sp.GetRequiredService<SqliteProfileStore>());
        services.AddSingleton<IErasureStore, SqliteErasureStore>();
        services.AddSingleton<ILineFolding, SqliteLineFolding>();
        services.AddSingleton<IIngestionLedger, SqliteIngestionLedger>();
        services.AddSingleton<IConsentsGate, SqliteConsentsGate>();
        services.AddSingleton<IPlannedDays, SqlitePlannedDays>();
        services.AddSingleton<IPlanRecords, SqlitePlanRecords>();
        services.AddSingleton<IMailboxes, SqliteMailboxes>();
        services.AddSingleton<SqliteMessageLog>();
        services.AddSingleton<IMessageLog>(sp => sp.GetRequiredService<SqliteMessageLog>());
        services.AddSingleton<IPlanningFeed, SqlitePlanningFeed>();
        services.AddSingleton<SqliteContextStore>();
        services.AddSingleton<IForecastAreaStore>(sp => sp.GetRequiredService<SqliteContextStore>());
        services.AddSingleton<IPollenForecastCache>(sp => sp.GetRequiredService<SqliteContextStore>());
        services.AddSingleton<IChurnModelStore, SqliteChurnModelStore>();
        return services;
    }
}
