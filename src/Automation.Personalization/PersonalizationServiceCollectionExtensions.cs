using Automation.Personalization.Links;
using Automation.Settings;
using Automation.Personalization.Templates;
using Automation.Planning.Policies;
using Automation.Planning.Triggers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Personalization;

public static class PersonalizationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the templates and renderer from <c>Automation:Personalization</c>, validated when first
    /// resolved. The templates load on first use, which planning and delivery do before their pass, so a
    /// broken template stops them before any work while commands that render nothing do not need them.
    /// </summary>
    public static IServiceCollection AddAutomationPersonalization(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings(configuration, PersonalizationSettings.Read);
        services.AddSingleton(sp => new Lazy<TemplateCatalog>(() => TemplateCatalog.Load(
            sp.GetRequiredService<PersonalizationSettings>().TemplatesDirectory,
            sp.GetRequiredService<PersonalizationSettings>().DefaultLocale,
            sp.GetServices<ITrigger>().Where(t => t.Settings.Enabled).Select(t => t.Name))));
        services.AddSingleton(sp => PreferenceLinks.From(sp.GetRequiredService<PersonalizationSettings>(), sp.GetService<ILinkKeyFallback>()));
        services.AddSingleton<MessageRenderer>();
        services.AddSingleton<IPersonalizationCheck>(sp => sp.GetRequiredService<MessageRenderer>());
        return services;
    }
}
