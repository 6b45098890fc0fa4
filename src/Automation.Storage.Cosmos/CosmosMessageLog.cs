using System.Buffers;
using System.Net;
using System.Runtime.CompilerServices;
using Automation.Messages;
using Automation.Profiles.Identifiers;
using Automation.Storage.Cosmos.Documents;
using Microsoft.Azure.Cosmos;
using NodaTime;

namespace Automation.Storage.Cosmos;

/// <summary>
/// The message log on Cosmos DB. The <c>messages</c> container holds the truth (one document per
/// message id, partitioned by customer, create-if-absent). Two derived copies serve the two passes
/// that must not query per customer: the profile document's message index (what planning needs, read
/// with the profile from the change feed) and, while a message waits for delivery, an entry in the
/// <c>deliveries</c> container, whose change feed is exactly the delivery to-do list. Writes go in an
/// order that lets a crash leave only entries that delivery checks against the truth and drops.
/// </summary>
public sealed class CosmosMessageLog(CosmosContainers containers, CosmosStoreSettings settings) : IMessageLog
{
    private const int DeliveryChecksAtOnce = 32;

    public async Task<IReadOnlyList<MessageRecord>> GetCustomerMessagesAsync(CustomerId customerId, CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        var query = new QueryDefinition("SELECT * FROM c WHERE c.customerId = @customerId").WithParameter("@customerId", customerId.Value);
        var records = new List<MessageRecord>();
        await foreach (var document in CosmosFeeds.QueryPartitionAsync(containers.Messages, query, customerId.Value, cancellationToken))
        {
            records.Add(MessageDocument.Read(document));
        }

        return records.OrderBy(r => r.DecidedAt).ThenBy(r => r.MessageId.Value, StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<bool>> RecordAsync(IReadOnlyList<MessageRecord> records, CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        var written = new bool[records.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, records.Count),
            new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrentOperations, CancellationToken = cancellationToken },
            async (i, token) => written[i] = await RecordAsync(records[i], token));
        return written;
    }

    /// <summary>
    /// Queue entry first (for a planned message), then the message (create-if-absent, or replace a
    /// suppressed decision under its ETag), then the profile's index entry. The index always gets the
    /// stored state, so an entry lost to a crash is restored the next time the occasion is planned.
    /// </summary>
    private async Task<bool> RecordAsync(MessageRecord record, CancellationToken cancellationToken)
    {
        var json = MessageDocument.Write(record, new ArrayBufferWriter<byte>(1024));
        var key = new PartitionKey(record.CustomerId.Value);
        if (record.Status == MessageStatus.Planned)
        {
            using var queued = await containers.Deliveries.UpsertItemStreamAsync(CosmosFeeds.Body(json), key, cancellationToken: cancellationToken);
            CosmosFeeds.EnsureSuccess(queued, "queue a message for delivery");
        }

        var (written, stored) = await CreateOrReplaceSuppressedAsync(record, json, key, cancellationToken);
        if (!written && record.Status == MessageStatus.Planned && stored.Status is not (MessageStatus.Planned or MessageStatus.Failed))
        {
            await DequeueAsync(record, cancellationToken);
        }

        await IndexAsync(stored, cancellationToken);
        return written;
    }

    private async Task<(bool Written, MessageRecord Stored)> CreateOrReplaceSuppressedAsync(
        MessageRecord record, ReadOnlyMemory<byte> json, PartitionKey key, CancellationToken cancellationToken)
    {
        while (true)
        {
            using (var created = await containers.Messages.CreateItemStreamAsync(CosmosFeeds.Body(json), key, cancellationToken: cancellationToken))
            {
                if (created.IsSuccessStatusCode) return (true, record);
                if (created.StatusCode != HttpStatusCode.Conflict) CosmosFeeds.EnsureSuccess(created, "record a message");
            }

            // It exists; if it expired before this read, the id is free again and the create is retried.
            var existing = await CosmosFeeds.ReadAsync(containers.Messages, record.MessageId.Value, record.CustomerId.Value, cancellationToken);
            if (existing is null) continue;
            var stored = MessageDocument.Read(existing.Json);
            if (stored.Status != MessageStatus.Suppressed) return (false, stored);

            using var replaced = await containers.Messages.ReplaceItemStreamAsync(
                CosmosFeeds.Body(json), record.MessageId.Value, key, new ItemRequestOptions { IfMatchEtag = existing.ETag }, cancellationToken);
            if (replaced.IsSuccessStatusCode) return (true, record);
            // 412: another plan changed it since the read; look again.
            if (replaced.StatusCode != HttpStatusCode.PreconditionFailed) CosmosFeeds.EnsureSuccess(replaced, "replace a suppressed decision");
        }
    }

    /// <summary>
    /// Every queue entry planned up to <paramref name="through"/>, checked against its message: an entry
    /// whose message was sent, suppressed or never written (a crash between the two writes) is dropped.
    /// </summary>
    public async IAsyncEnumerable<MessageRecord> ReadUndeliveredAsync(LocalDate through, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        var due = new List<(string MessageId, string CustomerId)>(DeliveryChecksAtOnce);
        await foreach (var entry in CosmosFeeds.ReadAllAsync(containers.Deliveries, cancellationToken))
        {
            if (MessageDocument.PlannedFor(entry) > through) continue;
            due.Add((entry.GetProperty("id").GetString()!, entry.GetProperty("customerId").GetString()!));
            if (due.Count < DeliveryChecksAtOnce) continue;
            foreach (var record in await CheckAsync(due, cancellationToken)) yield return record;
            due.Clear();
        }

        foreach (var record in await CheckAsync(due, cancellationToken)) yield return record;
    }

    private async Task<IEnumerable<MessageRecord>> CheckAsync(List<(string MessageId, string CustomerId)> due, CancellationToken cancellationToken)
    {
        var checks = await Task.WhenAll(due.Select(async entry =>
        {
            var stored = await CosmosFeeds.ReadAsync(containers.Messages, entry.MessageId, entry.CustomerId, cancellationToken);
            var record = stored is null ? null : MessageDocument.Read(stored.Json);
            if (record is not null && record.Status.AwaitsDelivery()) return record;
            await DequeueAsync(entry.MessageId, entry.CustomerId, cancellationToken);
            return null;
        }));
        return checks.OfType<MessageRecord>();
    }

    public async Task UpdateStatusAsync(
        MessageRecord message, MessageStatus status, ReasonCode? reasonCode, string? detail, Instant at, CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        // Reports and the links in mail name only the message id: every message a sender took is findable by id,
        // from before the provider call when it is marked sending (a sender that needs no mark: with its outcome).
        if (status == MessageStatus.Sending || (status == MessageStatus.Sent && message.Status != MessageStatus.Sending)) await AddSendAsync(containers, message, cancellationToken);
        using (var patched = await containers.Messages.PatchItemStreamAsync(message.MessageId.Value, new PartitionKey(message.CustomerId.Value),
        [
            PatchOperation.Set("/status", status.Name()),
            PatchOperation.Set("/reasonCode", reasonCode?.Value),
            PatchOperation.Set("/detail", detail),
            PatchOperation.Set("/updatedAt", MessageDocument.Format(at)),
        ], cancellationToken: cancellationToken))
        {
            CosmosFeeds.EnsureSuccess(patched, "record a delivery outcome");
        }

        // Sending is planned as far as planning can tell (final, counted); patching the profile for it would
        // only add a write per message on the send path and move the profile's ETag under a running ingestion.
        if (status != MessageStatus.Sending) await IndexAsync(message with { Status = status, ReasonCode = reasonCode }, cancellationToken);
        if (!status.AwaitsDelivery()) await DequeueAsync(message, cancellationToken);
    }

    /// <summary>
    /// Before a message goes to a provider, the <c>sends</c> container learns whose it is: a report
    /// names only the message id, and the messages are partitioned by customer.
    /// </summary>
    internal static async Task AddSendAsync(CosmosContainers containers, MessageRecord message, CancellationToken cancellationToken)
    {
        var json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new SendDocument(message.MessageId, message.CustomerId));
        using var upserted = await containers.Sends.UpsertItemStreamAsync(CosmosFeeds.Body(json), new PartitionKey(message.MessageId.Value), cancellationToken: cancellationToken);
        CosmosFeeds.EnsureSuccess(upserted, "record whose message is being sent");
    }

    public async Task<MessageRecord?> GetAsync(CustomerId customerId, MessageId messageId, CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        var stored = await CosmosFeeds.ReadAsync(containers.Messages, messageId.Value, customerId.Value, cancellationToken);
        return stored is null ? null : MessageDocument.Read(stored.Json);
    }

    public async Task<MessageRecord?> FindAsync(MessageId messageId, CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        var send = await CosmosFeeds.ReadAsync(containers.Sends, messageId.Value, messageId.Value, cancellationToken);
        if (send is null) return null;
        return await GetAsync(System.Text.Json.JsonSerializer.Deserialize<SendDocument>(send.Json)!.CustomerId, messageId, cancellationToken);
    }

    public async Task<MessageRecord?> ApplyEventAsync(MessageRecord message, MessageEvent reported, CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        var key = new PartitionKey(message.CustomerId.Value);
        while (true)
        {
            var stored = await CosmosFeeds.ReadAsync(containers.Messages, message.MessageId.Value, message.CustomerId.Value, cancellationToken);
            if (stored is null) return null;
            var current = MessageDocument.Read(stored.Json);
            if (MessageFeedback.Apply(current, reported) is not { } updated) return null;
            var json = MessageDocument.Write(updated, new ArrayBufferWriter<byte>(stored.Json.Length + 256));
            using (var replaced = await containers.Messages.ReplaceItemStreamAsync(
                CosmosFeeds.Body(json), message.MessageId.Value, key, new ItemRequestOptions { IfMatchEtag = stored.ETag }, cancellationToken))
            {
                // 412: another report for this message landed since the read; apply to the fresh one.
                if (replaced.StatusCode == HttpStatusCode.PreconditionFailed) continue;
                CosmosFeeds.EnsureSuccess(replaced, "record a provider report");
            }

            if (updated.Status != current.Status || ReportedEventFlags.Of(updated.Events) != ReportedEventFlags.Of(current.Events)) await IndexAsync(updated, cancellationToken);
            return updated;
        }
    }

    private sealed record SendDocument(
        [property: System.Text.Json.Serialization.JsonPropertyName("id")] MessageId Id,
        [property: System.Text.Json.Serialization.JsonPropertyName("customerId")] CustomerId CustomerId);

    private async Task IndexAsync(MessageRecord stored, CancellationToken cancellationToken)
    {
        using var patched = await containers.Profiles.PatchItemStreamAsync(stored.CustomerId.Value, new PartitionKey(stored.CustomerId.Value),
            [PatchOperation.Set(MessageIndex.PathOf(stored.MessageId), MessageIndex.Entry(stored))], cancellationToken: cancellationToken);
        // No profile: the customer was erased; their messages need no index.
        if (patched.StatusCode != HttpStatusCode.NotFound) CosmosFeeds.EnsureSuccess(patched, "index a message in its profile");
    }

    private Task DequeueAsync(MessageRecord message, CancellationToken cancellationToken) =>
        DequeueAsync(message.MessageId.Value, message.CustomerId.Value, cancellationToken);

    private async Task DequeueAsync(string messageId, string customerId, CancellationToken cancellationToken)
    {
        using var deleted = await containers.Deliveries.DeleteItemStreamAsync(messageId, new PartitionKey(customerId), cancellationToken: cancellationToken);
        if (deleted.StatusCode != HttpStatusCode.NotFound) CosmosFeeds.EnsureSuccess(deleted, "remove a delivered message from the queue");
    }
}
