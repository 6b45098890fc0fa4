using Automation.Delivery;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Automation.Testing;

public static class HandOverRecorder
{
    /// <summary>
    /// Adds the id of every message handed to the registered sender to <paramref name="handedOver"/>:
    /// a message handed over twice is a second email.
    /// </summary>
    public static IServiceCollection RecordHandOvers(this IServiceCollection services, List<string> handedOver) =>
        services.Decorate<IMessageSender>((_, sender) => new RecordingSender(sender, handedOver));

    private sealed class RecordingSender(IMessageSender inner, List<string> handedOver) : IMessageSender
    {
        public Duration? SchedulingHorizon => inner.SchedulingHorizon;

        public Task<int> SendAsync(IReadOnlyList<OutgoingMessage> batch, ISendJournal journal, CancellationToken cancellationToken = default)
        {
            lock (handedOver) handedOver.AddRange(batch.Select(m => m.Message.MessageId.Value));
            return inner.SendAsync(batch, journal, cancellationToken);
        }
    }
}
