using Automation.Context;
using Automation.Delivery;
using Automation.Delivery.SendGrid;
using Automation.Ingestion;
using Automation.Personalization;
using Automation.Planning;
using Automation.Planning.Settings;
using Automation.Storage.Cosmos;
using Automation.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
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
            // Before the store: its profile writers keep each customer's forecast area.
            .AddAutomationContext(configuration)
            .AddAutomationStore(configuration)
            .AddAutomationPlanning(configuration)
            .AddAutomationPersonalization(configuration)
            .AddAutomationDelivery(configuration)
            .AddSendGridDelivery(configuration)
            .AddSingleton<PipelineJobs>();
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
    /// Checks the settings that are read lazily, so that a wrong value stops a host at start with a
    /// sentence naming it rather than in the middle of the first run.
    /// </summary>
    /// <exception cref="SettingsValidationException">A setting is missing or wrong.</exception>
    public static void ValidateAutomationSettings(this IServiceProvider services)
    {
        try
        {
            _ = services.GetRequiredService<IOptions<IngestionOptions>>().Value;
            // The selected store's settings; resolving them validates them.
            _ = (object?)services.GetService<CosmosStoreSettings>() ?? services.GetRequiredService<IOptions<SqliteStoreOptions>>().Value;
        }
        catch (OptionsValidationException ex)
        {
            throw new SettingsValidationException(ex.Failures.ToList());
        }
        catch (InvalidOperationException ex) when (WrongType(ex) is { } sentence)
        {
            throw new SettingsValidationException([sentence]);
        }
        catch (InvalidOperationException ex) when (ex.InnerException is FormatException or InvalidOperationException)
        {
            throw new SettingsValidationException(["A setting has a value of the wrong type: " + (ex.InnerException?.Message ?? ex.Message)]);
        }
    }

    /// <summary>
    /// The configuration binder's "Failed to convert configuration value 'lots' at 'Automation:Ingestion:BatchSize'
    /// to type 'System.Int32'" as the product's sentence: the key, what it must be, what it was.
    /// </summary>
    public static string? WrongType(Exception exception)
    {
        for (var ex = (Exception?)exception; ex is not null; ex = ex.InnerException)
        {
            var match = System.Text.RegularExpressions.Regex.Match(ex.Message, @"^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']*)' to type '(?<type>[^']*)'");
            if (!match.Success) continue;
            var must = match.Groups["type"].Value switch
            {
                "System.Int32" or "System.Int64" => "a whole number",
                "System.Decimal" or "System.Double" => "a number",
                "System.Boolean" => "true or false",
                "System.TimeSpan" => "a duration such as 00:05:00",
                var type => "a value of type " + type,
            };
            return $"{match.Groups["key"].Value} must be {must}, got '{match.Groups["value"].Value}'.";
        }

        return null;
    }
}
