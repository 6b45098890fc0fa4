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
            var settings = sp.GetRequiredService<SendGridSettings>();
            http.BaseAddress = new Uri(settings.BaseUrl.AbsoluteUri.TrimEnd('/') + "/");
            http.Timeout = settings.RequestTimeout;
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", settings.ApiKey);
        });
        services.AddSingleton<SendGridSender>();
        services.Replace(ServiceDescriptor.Singleton<IMessageSender>(sp => sp.GetRequiredService<SendGridSender>()));
        services.Replace(ServiceDescriptor.Singleton(SendGridSender.SupportedAddresses));
        return services;
    }
}
