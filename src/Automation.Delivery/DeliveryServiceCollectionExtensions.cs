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
        services.AddSingleton(_ => DeliverySettings.Read(configuration));
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.AddSingleton<OutboxSender>();
        services.AddSingleton<IMessageSender>(sp => sp.GetRequiredService<OutboxSender>());
        services.AddSingleton<DeliveryService>();
        services.AddSingleton<Feedback.FeedbackService>();
        return services;
    }
}
