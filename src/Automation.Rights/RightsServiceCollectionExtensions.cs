using Automation.Profiles.Erasure;
using Automation.Rights.Access;
using Automation.Rights.Erasure;
using Automation.Rights.Preferences;
using Automation.Rights.Retention;
using Automation.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Automation.Rights;

public static class RightsServiceCollectionExtensions
{
    /// <summary>
    /// Customers' rights: the preference page behind the links in mail (the hosts route <c>preferences/{token}</c>
    /// to <see cref="PreferenceHttp"/>), the access export, erasure and retention (<c>Automation:Retention</c>). Needs a store and delivery (its outbox).
    /// </summary>
    public static IServiceCollection AddAutomationRights(this IServiceCollection services, IConfiguration configuration) => services
        .AddSettings(configuration, RetentionSettings.Read)
        .AddSingleton<PreferenceCenter>()
        .AddSingleton<CustomerDataExport>()
        .AddSingleton<ICustomerEraser, CustomerEraser>()
        .AddSingleton<RetentionService>();
}
