using Automation.Reporting;
using Automation.Rights;
using Automation.Settings;
using Automation.ContextSources;
using Automation.Delivery;
using Automation.Delivery.SendGrid;
using Automation.Ingestion;
using Automation.Personalization;
using Automation.Planning;
using Automation.Storage.Cosmos;
using Automation.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;

namespace Automation.Hosting;

/// <summary>
/// The one composition of the pipeline that the command line, the self-hosted service and the Azure
/// Functions app share, so that the same settings behave the same in each.
/// </summary>
public static class AutomationServiceCollectionExtensions
{
    public const string BackendKey = "Automation:Storage:Backend";

    /// <summary>Ingestion, context, the store, planning, personalization and delivery, from <paramref name="configuration"/>.</summary>
    public static IServiceCollection AddAutomation(this IServiceCollection services, IConfiguration configuration)
    {
        // Before the pipeline's own registrations, which fall back to the system clock.
        if (RunningClock.FromSettings(configuration) is { } clock) services.TryAddSingleton<IClock>(clock);
        return services
            .AddAutomationIngestion(configuration)
            .AddAutomationContext(configuration)
            .AddAutomationStore(configuration)
            .AddAutomationPlanning(configuration)
            .AddAutomationPersonalization(configuration)
            .AddAutomationDelivery(configuration)
            .AddSendGridDelivery(configuration)
            .AddAutomationRights(configuration)
            .AddAutomationReporting()
            .AddSettings(configuration, AutomationSections.Read)
            .AddSingleton<PipelineJobs>();
    }

    /// <summary>
    /// For a host on one machine (the command line, <c>serve</c>): without configured link keys, the key
    /// that signs the links in mail is made once and kept in the data folder (<see cref="DataFolderLinkKey"/>).
    /// </summary>
    public static IServiceCollection AddDataFolderLinkKey(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSingleton<Personalization.Links.ILinkKeyFallback>(_ => new DataFolderLinkKey(Storage.Sqlite.SqliteStoreSettings.Read(configuration).DataDirectory));

    /// <summary>
    /// The container of a host composed on other settings, checked as a sending host is at start: how the
    /// console tries a changed setting before it is applied. Disposed again when a setting is wrong.
    /// </summary>
    /// <exception cref="SettingsValidationException">Every setting that is missing or wrong, one sentence each.</exception>
    public static ServiceProvider BuildCheckedProvider(this IServiceCollection services)
    {
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        try
        {
            provider.ValidateAutomationSettings(sending: true);
            return provider;
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }

    /// <summary>The embedded SQLite store unless <c>Automation:Storage:Backend</c> says cosmos.</summary>
    public static IServiceCollection AddAutomationStore(this IServiceCollection services, IConfiguration configuration)
    {
        var reader = new SettingsReader(configuration);
        var backend = reader.Choice(BackendKey, "sqlite", new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["sqlite"] = "sqlite", ["cosmos"] = "cosmos" });
        reader.ThrowIfInvalid();
        return backend == "cosmos" ? services.AddCosmosStore(configuration) : services.AddSqliteStore(configuration);
    }

    /// <summary>
    /// Reads every settings type, the sections of <c>Automation</c> and the places file, so that a wrong
    /// value stops a host at start with a sentence naming it rather than in the middle of the first run.
    /// A host that sends (<c>serve</c>, the Functions app) passes <paramref name="sending"/>: the sender and
    /// the unsubscribe link must then be set too, which commands that only ingest or look do not need,
    /// and the templates are loaded.
    /// </summary>
    /// <exception cref="SettingsValidationException">Every setting that is missing or wrong, one sentence each.</exception>
    public static void ValidateAutomationSettings(this IServiceProvider services, bool sending = false)
    {
        var problems = services.SettingsProblems().ToList();
        if (sending)
        {
            // The links need the sender's settings and a key (configured, or the host's own): every missing one is named,
            // beside the other sections' problems, each once.
            try
            {
                _ = services.GetService<Personalization.Links.PreferenceLinks>();
            }
            catch (SettingsValidationException ex)
            {
                problems.AddRange(ex.Problems.Except(problems));
            }
        }

        if (problems.Count > 0) throw new SettingsValidationException(problems);
        _ = services.GetService<ContextSources.Areas.AreaLocator>();
        // A host that sends loads its templates now: a broken one stops it here, not at the first plan.
        if (sending) _ = services.GetService<MessageRenderer>()?.Catalog;
    }
}
