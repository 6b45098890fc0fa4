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
using Microsoft.Extensions.Options;

namespace Automation.Cli;

/// <summary>
/// Composes the pipeline for one command: configuration from appsettings.json, an optional settings
/// file, environment variables (Automation__Section__Key) and command-line overrides, in that order.
/// </summary>
internal static class CliHost
{
    public const string BackendKey = "Automation:Storage:Backend";

    public static ServiceProvider Build(System.CommandLine.ParseResult parse) =>
        Build(parse.GetValue(GlobalOptions.Settings), parse.GetValue(GlobalOptions.DataDirectory), parse.GetValue(GlobalOptions.Store));

    public static ServiceProvider Build(string? settingsFile, string? dataDirectory, string? store)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddJsonFile(Path.GetFullPath("appsettings.json"), optional: true);
        if (settingsFile is not null)
        {
            if (!File.Exists(settingsFile)) throw new SettingsException($"The settings file {settingsFile} does not exist.");
            builder.AddJsonFile(Path.GetFullPath(settingsFile), optional: false);
        }

        builder.AddEnvironmentVariables();
        if (dataDirectory is not null)
        {
            builder.AddInMemoryCollection([new($"{SqliteStoreOptions.Section}:{nameof(SqliteStoreOptions.DataDirectory)}", dataDirectory)]);
        }

        if (store is not null) builder.AddInMemoryCollection([new(BackendKey, store)]);

        var configuration = builder.Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            // The CLI reports through its own output; hosts with telemetry add logging providers.
            .AddLogging()
            .AddAutomationIngestion(configuration)
            .AddAutomationContext(configuration)
            .AddStore(configuration)
            .AddAutomationPlanning(configuration)
            .AddAutomationPersonalization(configuration)
            .AddAutomationDelivery(configuration)
            .AddSendGridDelivery(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        ValidateSettings(services);
        return services;
    }

    /// <summary>The embedded SQLite store unless <c>Automation:Storage:Backend</c> (or <c>--store</c>) says cosmos.</summary>
    private static IServiceCollection AddStore(this IServiceCollection services, IConfiguration configuration)
    {
        var reader = new SettingsReader(configuration);
        var backend = reader.Choice(BackendKey, "sqlite", new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["sqlite"] = "sqlite", ["cosmos"] = "cosmos" });
        reader.ThrowIfInvalid();
        return backend == "cosmos" ? services.AddCosmosStore(configuration) : services.AddSqliteStore(configuration);
    }

    /// <summary>Settings are checked before any work starts; a wrong value stops the run with a sentence naming it.</summary>
    private static void ValidateSettings(ServiceProvider services)
    {
        try
        {
            _ = services.GetRequiredService<IOptions<IngestionOptions>>().Value;
            // The selected store's settings; resolving them validates them.
            _ = (object?)services.GetService<CosmosStoreSettings>() ?? services.GetRequiredService<IOptions<SqliteStoreOptions>>().Value;
        }
        catch (OptionsValidationException ex)
        {
            throw new SettingsException(string.Join(Environment.NewLine, ex.Failures));
        }
        catch (InvalidOperationException ex) when (ex.InnerException is FormatException or InvalidOperationException)
        {
            throw new SettingsException("A setting has a value of the wrong type: " + (ex.InnerException?.Message ?? ex.Message));
        }
    }
}

internal sealed class SettingsException(string message) : Exception(message);
