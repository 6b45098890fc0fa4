using Automation.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Service;

public static class ServiceServiceCollectionExtensions
{
    /// <summary>
    /// The self-hosted service over a pipeline <c>AddAutomation()</c> composed, with the HTTP listener
    /// that answers the links in mail (<see cref="HttpEndpoints"/>); its settings are read
    /// and checked when the service is first resolved, so a wrong schedule stops the start with a
    /// sentence naming it.
    /// </summary>
    public static IServiceCollection AddAutomationService(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings(configuration, ServiceSettings.Read);
        services.AddSingleton<ServiceActivity>();
        services.AddHostedService<AutomationService>();
        services.AddHostedService<HttpEndpoints>();
        return services;
    }
}
