using Automation.Hosting;
using Automation.Hosting.Telemetry;
using Automation.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Cli;

/// <summary>
/// Composes the pipeline for one command: configuration from appsettings.json, an optional settings
/// file, environment variables (Automation__Section__Key) and command-line overrides, in that order.
/// </summary>
internal static class CliHost
{
    public static ServiceProvider Build(System.CommandLine.ParseResult parse) => Build(BuildConfiguration(parse));

    /// <param name="settingsContent">Read in place of <see cref="SettingsFile"/>: the configuration once the console changes that file.</param>
    public static IConfigurationRoot BuildConfiguration(System.CommandLine.ParseResult parse, Stream? settingsContent = null) =>
        BuildConfiguration(parse.GetValue(GlobalOptions.Settings), parse.GetValue(GlobalOptions.DataDirectory), parse.GetValue(GlobalOptions.Store), settingsContent);

    /// <summary>The settings file of a command: its <c>--settings</c> file, or else <c>appsettings.json</c> in the current folder (which need not exist yet).</summary>
    public static string SettingsFile(System.CommandLine.ParseResult parse) => Path.GetFullPath(parse.GetValue(GlobalOptions.Settings) ?? "appsettings.json");

    private static IConfigurationRoot BuildConfiguration(string? settingsFile, string? dataDirectory, string? store, Stream? settingsContent)
    {
        var builder = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        if (settingsFile is not null)
        {
            if (!File.Exists(settingsFile)) throw new SettingsException($"The settings file {settingsFile} does not exist.");
            builder.AddJsonFile(Path.GetFullPath("appsettings.json"), optional: true);
        }

        if (settingsContent is not null) builder.AddJsonStream(settingsContent);
        else builder.AddJsonFile(Path.GetFullPath(settingsFile ?? "appsettings.json"), optional: settingsFile is null);

        builder.AddEnvironmentVariables();
        if (dataDirectory is not null)
        {
            builder.AddInMemoryCollection([new($"{SqliteStoreSettings.Section}:{nameof(SqliteStoreSettings.DataDirectory)}", dataDirectory)]);
        }

        if (store is not null) builder.AddInMemoryCollection([new(AutomationServiceCollectionExtensions.BackendKey, store)]);

        try
        {
            return builder.Build();
        }
        catch (InvalidDataException ex) when (JsonError(ex) is { } json)
        {
            // The provider's own message names the file but not where in it.
            throw new SettingsException(
                $"{ex.Message.TrimEnd('.')} : it is not valid JSON at line {(json.LineNumber ?? 0) + 1}, position {(json.BytePositionInLine ?? 0) + 1}.".Replace(" : ", ": ", StringComparison.Ordinal));
        }
    }

    private static System.Text.Json.JsonException? JsonError(Exception exception)
    {
        for (var ex = exception.InnerException; ex is not null; ex = ex.InnerException)
        {
            if (ex is System.Text.Json.JsonException json) return json;
        }

        return null;
    }

    private static ServiceProvider Build(IConfigurationRoot configuration)
    {
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            // The CLI reports through its own output; hosts with telemetry add logging providers.
            .AddLogging()
            .AddAutomation(configuration)
            .AddDataFolderLinkKey(configuration);
        // Telemetry only where it goes somewhere: without an endpoint the command loads no OpenTelemetry SDK.
        var exporting = TelemetryServiceCollectionExtensions.ExportsOverOtlp(configuration);
        if (exporting) services.AddAutomationTelemetry(configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        provider.ValidateAutomationSettings();
        if (exporting)
        {
            // Without a host nothing starts the exporters; they flush when the command disposes the provider.
            _ = provider.GetService<OpenTelemetry.Trace.TracerProvider>();
            _ = provider.GetService<OpenTelemetry.Metrics.MeterProvider>();
        }

        return provider;
    }
}

internal sealed class SettingsException(string message) : Exception(message);
