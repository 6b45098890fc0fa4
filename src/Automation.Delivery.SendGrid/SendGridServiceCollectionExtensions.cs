using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Automation.Delivery.SendGrid.EventWebhook;
using Automation.Settings;
using NodaTime;

namespace Automation.Delivery.SendGrid;

public static class SendGridServiceCollectionExtensions
{
    /// <summary>
    /// Registers SendGrid's settings and event webhook handling; when <c>Automation:SendGrid:ApiKey</c> is
    /// set, SendGrid also replaces the outbox as the sender. Call after AddAutomationDelivery.
    /// </summary>
    public static IServiceCollection AddSendGridDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings(configuration, SendGridSettings.Read);
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.AddSingleton<EventWebhookVerifier>();
        services.AddSingleton<EventWebhookHandler>();
        // Whether SendGrid sends is decided here, by whether the key is set; the settings are read and checked with the rest.
        if (string.IsNullOrWhiteSpace(configuration[SendGridSettings.ApiKeyKey])) return services;

        services.AddHttpClient(SendGridSender.HttpClientName).ConfigureHttpClient((sp, http) =>
        {
            // SendGrid's client sets the URL and the key per request; the timeout is the HttpClient's.
            http.Timeout = sp.GetRequiredService<SendGridSettings>().RequestTimeout;
        });
        services.AddSingleton<SendGridSender>();
        services.Replace(ServiceDescriptor.Singleton<IMessageSender>(sp => sp.GetRequiredService<SendGridSender>()));
        services.Replace(ServiceDescriptor.Singleton(SendGridSender.SupportedAddresses));
        return services;
    }
}
