using Microsoft.Extensions.DependencyInjection;

namespace Automation.Preferences;

public static class PreferencesServiceCollectionExtensions
{
    /// <summary>The preference page behind the links in mail; the hosts route <c>preferences/{token}</c> to <see cref="PreferenceHttp"/>.</summary>
    public static IServiceCollection AddAutomationPreferences(this IServiceCollection services) => services.AddSingleton<PreferenceCenter>();
}
