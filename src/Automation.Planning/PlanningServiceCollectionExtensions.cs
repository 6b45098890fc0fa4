using Automation.Settings;
using Automation.Churn.Training;
using Automation.Planning.Context;
using Automation.Planning.Policies;
using Automation.Planning.Settings;
using Automation.Planning.Triggers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;

namespace Automation.Planning;

public static class PlanningServiceCollectionExtensions
{
    /// <summary>
    /// Registers the triggers, policies and the planning pass. Settings under <c>Automation:Triggers</c>,
    /// and <c>Automation:Policies</c> are read and validated when first resolved,
    /// which a host does at start-up: a wrong value throws <see cref="SettingsValidationException"/> naming
    /// it. Needs a profile store, a message log, a churn model store and an <see cref="IPersonalizationCheck"/> (AddAutomationPersonalization).
    /// </summary>
    public static IServiceCollection AddAutomationPlanning(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings(configuration, PlanningSettings.Read);
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.AddSingleton<ITrigger>(sp => new BirthdayTrigger(sp.GetRequiredService<PlanningSettings>().Birthday));
        services.AddSingleton<ITrigger>(sp => new ChurnRiskTrigger(sp.GetRequiredService<PlanningSettings>().ChurnRisk));
        services.AddSingleton<ITrigger>(sp => new PollenTrigger(sp.GetRequiredService<PlanningSettings>().Pollen));
        // Without AddAutomationContext there is no pollen: the trigger finds no forecasts and stays silent.
        services.TryAddSingleton<IPollenForecastSource, NoPollenForecasts>();
        services.AddSingleton<ChurnModelTrainer>();
        services.AddSingleton<CustomerPlanner>();
        services.AddMetrics();
        services.TryAddSingleton<PlanningTelemetry>();
        services.AddSingleton<PlanningService>();
        return services;
    }

    private sealed class NoPollenForecasts : IPollenForecastSource
    {
        public Task<PollenForecasts> LoadAsync(LocalDate date, CancellationToken cancellationToken = default) => Task.FromResult(PollenForecasts.None(date));
    }
}
