using Automation.Hosting;
using Automation.MarketerConsole.Settings;
using Automation.Service.Settings;
using Automation.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Service;

public static class ServiceServiceCollectionExtensions
{
    /// <summary>
    /// The self-hosted service: the pipeline (<c>AddAutomation()</c>, with the data folder's link key) and
    /// the service over it with the HTTP listener that answers the links in mail (<see cref="HttpEndpoints"/>);
    /// its settings are read and checked when the service is first resolved, so a wrong schedule stops the
    /// start with a sentence naming it.
    /// </summary>
    public static IServiceCollection AddAutomationService(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddServedPipeline(configuration);
        services.AddSingleton<ServiceActivity>();
        services.AddSingleton<ServeRestart>();
        services.AddHostedService<AutomationService>();
        services.AddHostedService<HttpEndpoints>();
        return services;
    }

    /// <summary>What <c>serve</c> runs, without running it: the pipeline, the data folder's link key and the service's own settings.</summary>
    public static IServiceCollection AddServedPipeline(this IServiceCollection services, IConfiguration configuration) =>
        services.AddAutomation(configuration).AddDataFolderLinkKey(configuration).AddSettings(configuration, ServiceSettings.Read);

    /// <summary>
    /// The settings file the console changes (<see cref="ServeSettingsFile"/>): <paramref name="path"/>, read
    /// as at start by <paramref name="rebuild"/> with the file's content replaced by the stream it is given.
    /// </summary>
    public static IServiceCollection AddServeSettingsFile(this IServiceCollection services, string path, Func<Stream, IConfiguration> rebuild)
    {
        services.AddSingleton(provider => ActivatorUtilities.CreateInstance<ServeSettingsFile>(provider, path, rebuild));
        services.AddSingleton<ISettingsHost>(provider => provider.GetRequiredService<ServeSettingsFile>());
        services.AddSingleton<ISettingsFile>(provider => provider.GetRequiredService<ServeSettingsFile>());
        return services;
    }
}
