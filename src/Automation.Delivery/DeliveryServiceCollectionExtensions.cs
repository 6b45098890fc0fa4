using Automation.Settings;
using Automation.Delivery.Outbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;

namespace Automation.Delivery;

public static class DeliveryServiceCollectionExtensions
{
    /// <summary>
    /// Registers delivery with the local outbox as its sender; a provider's registration (AddSendGridDelivery)
    /// replaces the sender when the provider is configured.
    /// </summary>
    public static IServiceCollection AddAutomationDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings(configuration, DeliverySettings.Read);
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.AddSingleton<OutboxSender>();
        services.AddSingleton<IMessageSender>(sp => sp.GetRequiredService<OutboxSender>());
        // What the sender delivers to, known without building it (ingestion warns by it and needs no
        // sender settings); a provider's registration replaces it with its own.
        services.AddSingleton(OutboxSender.SupportedAddresses);
        services.AddMetrics();
        services.TryAddSingleton<DeliveryTelemetry>();
        services.AddSingleton<DeliveryService>();
        services.AddSingleton<Feedback.FeedbackService>();
        return services;
    }
}
