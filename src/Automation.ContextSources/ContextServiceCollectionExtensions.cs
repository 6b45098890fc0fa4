using Automation.Profiles.Storage;
using Automation.ContextSources.Areas;
using Automation.ContextSources.Pollen;
using Automation.ContextSources.Pollen.Google;
using Automation.ContextSources.Pollen.OpenMeteo;
using Automation.Planning.Context;
using Automation.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;

namespace Automation.ContextSources;

public static class ContextServiceCollectionExtensions
{
    /// <summary>
    /// Registers forecast areas and the pollen source, from <c>Automation:Pollen</c> and
    /// <c>Automation:Areas</c> (read when first resolved, which a host does at start). With
    /// <c>Automation:Pollen:ForecastFile</c> the file is the source; otherwise the providers are, and the
    /// store must implement <see cref="IForecastAreaStore"/> and <see cref="IPollenForecastCache"/>
    /// (both stores do). The areas in use follow the profiles' commits (<see cref="ForecastAreaUpkeep"/>).
    /// </summary>
    public static IServiceCollection AddAutomationContext(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings(configuration, PollenContextSettings.Read);
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.AddSingleton(sp => sp.GetRequiredService<PollenContextSettings>().PlacesFile is { } places
            ? new AreaLocator(PlaceTable.Load(places))
            : AreaLocator.CoordinatesOnly);
        services.AddSingleton<IProfileCommitHook, ForecastAreaUpkeep>();
        // Which source is decided here, by whether the key is set; its value is read and checked with the rest.
        if (!string.IsNullOrWhiteSpace(configuration[PollenContextSettings.ForecastFileKey]))
        {
            services.Replace(ServiceDescriptor.Singleton<IPollenForecastSource>(sp =>
                new FilePollenForecastSource(sp.GetRequiredService<PollenContextSettings>().ForecastFile!)));
            return services;
        }

        services.AddHttpClient(OpenMeteoPollenProvider.HttpClientName)
            .ConfigureHttpClient((sp, http) => Configure(http, sp.GetRequiredService<PollenContextSettings>().OpenMeteo));
        services.AddHttpClient(GooglePollenProvider.HttpClientName)
            .ConfigureHttpClient((sp, http) => Configure(http, sp.GetRequiredService<PollenContextSettings>().Google));
        services.AddSingleton<IPollenProvider, OpenMeteoPollenProvider>();
        services.AddSingleton<IPollenProvider, GooglePollenProvider>();
        services.AddSingleton<PollenForecastService>();
        services.Replace(ServiceDescriptor.Singleton<IPollenForecastSource>(sp => sp.GetRequiredService<PollenForecastService>()));
        return services;
    }

    private static void Configure(HttpClient http, ProviderSettings provider)
    {
        http.BaseAddress = new Uri(provider.BaseUrl.AbsoluteUri.TrimEnd('/') + "/");
        // ProviderHttp times each attempt itself, so the retries fit in a run.
        http.Timeout = Timeout.InfiniteTimeSpan;
    }
}
