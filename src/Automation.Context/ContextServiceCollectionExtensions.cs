using Automation.Context.Areas;
using Automation.Context.Pollen;
using Automation.Context.Pollen.Google;
using Automation.Context.Pollen.OpenMeteo;
using Automation.Planning.Context;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;

namespace Automation.Context;

public static class ContextServiceCollectionExtensions
{
    /// <summary>
    /// Registers forecast areas and the pollen source, from <c>Automation:Pollen</c> and
    /// <c>Automation:Areas</c> (read and validated here: a wrong value throws, naming it). With
    /// <c>Automation:Pollen:ForecastFile</c> the file is the source; otherwise the providers are, and the
    /// store must implement <see cref="IForecastAreaStore"/> and <see cref="IPollenForecastCache"/>
    /// (both stores do). Call before the store is added, so its profile writers keep the areas.
    /// </summary>
    public static IServiceCollection AddAutomationContext(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = PollenContextSettings.Read(configuration);
        services.AddSingleton(settings);
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.AddSingleton(settings.PlacesFile is { } places ? new AreaLocator(PlaceTable.Load(places)) : AreaLocator.CoordinatesOnly);
        if (settings.ForecastFile is { } file)
        {
            services.Replace(ServiceDescriptor.Singleton<IPollenForecastSource>(new FilePollenForecastSource(file)));
            return services;
        }

        services.AddHttpClient(OpenMeteoPollenProvider.HttpClientName, http => Configure(http, settings.OpenMeteo));
        services.AddHttpClient(GooglePollenProvider.HttpClientName, http => Configure(http, settings.Google));
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
