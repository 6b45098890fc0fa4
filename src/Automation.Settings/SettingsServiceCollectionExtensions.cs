using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Settings;

/// <summary>A settings type registered with <see cref="SettingsServiceCollectionExtensions.AddSettings{T}"/>.</summary>
public sealed record SettingsRegistration(Type SettingsType);

public static class SettingsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <typeparamref name="T"/>, read from <paramref name="configuration"/> by <paramref name="read"/>
    /// when first resolved, and records it so that <see cref="SettingsProblems"/> reads it at start.
    /// <paramref name="read"/> uses a <see cref="SettingsReader"/> and throws <see cref="SettingsValidationException"/>.
    /// </summary>
    public static IServiceCollection AddSettings<T>(this IServiceCollection services, IConfiguration configuration, Func<IConfiguration, T> read)
        where T : class
    {
        services.AddSingleton(_ => read(configuration));
        services.AddSingleton(new SettingsRegistration(typeof(T)));
        return services;
    }

    /// <summary>
    /// Reads every registered settings type, so a host can stop at start rather than at the first job
    /// that needs a wrong value. Returns every problem of every type, not just the first type's.
    /// </summary>
    public static IReadOnlyList<string> SettingsProblems(this IServiceProvider services)
    {
        var problems = new List<string>();
        foreach (var registration in services.GetServices<SettingsRegistration>().DistinctBy(r => r.SettingsType))
        {
            try
            {
                _ = services.GetRequiredService(registration.SettingsType);
            }
            catch (SettingsValidationException ex)
            {
                problems.AddRange(ex.Problems);
            }
        }

        return problems;
    }
}
