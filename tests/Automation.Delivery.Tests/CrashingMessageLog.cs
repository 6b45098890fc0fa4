using Automation.Profiles.Identifiers;
using Automation.Messages;
using Automation.Testing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Automation.Delivery.Tests;

/// <summary>The process dying at a chosen point: the store's real message log, which throws instead of recording one status.</summary>
internal sealed class CrashingMessageLog(IMessageLog inner, MessageStatus crashOn) : IMessageLog
{
    public Task<IReadOnlyList<MessageRecord>> GetCustomerMessagesAsync(CustomerId customerId, CancellationToken cancellationToken = default) =>
        inner.GetCustomerMessagesAsync(customerId, cancellationToken);

    public Task<MessageRecord?> GetAsync(CustomerId customerId, MessageId messageId, CancellationToken cancellationToken = default) =>
        inner.GetAsync(customerId, messageId, cancellationToken);

    public Task<IReadOnlyList<bool>> RecordAsync(IReadOnlyList<MessageRecord> records, CancellationToken cancellationToken = default) =>
        inner.RecordAsync(records, cancellationToken);

    public IAsyncEnumerable<MessageRecord> ReadUndeliveredAsync(LocalDate through, CancellationToken cancellationToken = default) =>
        inner.ReadUndeliveredAsync(through, cancellationToken);

    public Task UpdateStatusAsync(MessageRecord message, MessageStatus status, ReasonCode? reasonCode, string? detail, Instant at, CancellationToken cancellationToken = default) =>
        status == crashOn ? throw new SimulatedCrashException() : inner.UpdateStatusAsync(message, status, reasonCode, detail, at, cancellationToken);

    public Task<MessageRecord?> FindAsync(MessageId messageId, CancellationToken cancellationToken = default) => inner.FindAsync(messageId, cancellationToken);

    public Task<MessageRecord?> ApplyEventAsync(MessageRecord message, MessageEvent reported, CancellationToken cancellationToken = default) =>
        inner.ApplyEventAsync(message, reported, cancellationToken);
}

internal sealed class SimulatedCrashException() : Exception("simulated crash");

internal static class CrashingMessageLogRegistration
{
    /// <summary>Wraps the registered message log so that recording <paramref name="status"/> crashes.</summary>
    public static void CrashWhenRecording(this IServiceCollection services, MessageStatus status) =>
        services.Decorate<IMessageLog>((_, inner) => new CrashingMessageLog(inner, status));
}
