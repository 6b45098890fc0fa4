using System.Buffers;
using System.Net;
using System.Text.Json;
using Automation.Messages;
using Automation.Profiles.Erasure;
using Automation.Profiles.Identifiers;
using Automation.Profiles.Mailboxes;
using Automation.Storage.Cosmos.Documents;
using Microsoft.Azure.Cosmos;
using NodaTime;

namespace Automation.Storage.Cosmos;

/// <summary>
/// Erasure on Cosmos DB. The <c>erasures</c> container holds the tombstones (id = tombstone) and the salt
/// (id <c>salt</c>). Without transactions across partitions, the steps go in an order a crash can
/// interrupt anywhere: the tombstone first (nothing can bring the customer back from then on), then the
/// mailbox, the messages (each copied under the tombstone before its original is deleted), the delivery
/// queue and day claims, and the profile document (with its transaction lines) last, so erasing again
/// finds everything that is left.
/// </summary>
public sealed class CosmosErasureStore(CosmosContainers containers, CosmosStoreSettings settings, CosmosMailboxes mailboxes) : IErasureStore
{
    private const string SaltId = "salt";
    private byte[]? _salt;

    public async Task<IReadOnlyList<StoreErasure>> EraseAsync(IReadOnlyList<CustomerId> customers, Instant at, CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        var salt = await SaltAsync(create: true, cancellationToken) ?? throw new InvalidOperationException("The erasure salt was not created.");
        // Customers are independent partitions: erased side by side, as the profile writer writes them.
        var erased = new StoreErasure[customers.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, customers.Count),
            new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrentOperations, CancellationToken = cancellationToken },
            async (i, token) => erased[i] = await EraseAsync(customers[i], Tombstone.Of(customers[i], salt), at, token));
        return erased;
    }

    private async Task<StoreErasure> EraseAsync(CustomerId customer, Tombstone tombstone, Instant at, CancellationToken cancellationToken)
    {
        var mark = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["id"] = tombstone.Value, ["erasedAt"] = MessageDocument.Format(at) });
        bool before;
        using (var created = await containers.Erasures.CreateItemStreamAsync(CosmosFeeds.Body(mark), new PartitionKey(tombstone.Value), cancellationToken: cancellationToken))
        {
            before = created.StatusCode == HttpStatusCode.Conflict;
            if (!before) CosmosFeeds.EnsureSuccess(created, "record an erasure");
        }

        var stored = await CosmosFeeds.ReadAsync(containers.Profiles, customer.Value, customer.Value, cancellationToken);
        var profile = stored is null ? null : ProfileDocument.Parse(stored.Json);
        var mailboxKey = MailboxKeys.Of(profile?.Profile.Email);
        if (mailboxKey is not null) await mailboxes.UpdateAsync(mailboxKey, m => MailboxRules.Forget(m, customer.Value, tombstone), cancellationToken);
        var messages = await ScrubMessagesAsync(customer, tombstone, cancellationToken);
        await DeleteAllAsync(containers.Deliveries, "SELECT c.id FROM c WHERE c.customerId = @key", customer.Value, customer.Value, cancellationToken);
        if (mailboxKey is not null)
        {
            await DeleteAllAsync(containers.Mailboxes, "SELECT c.id FROM c WHERE c.partition = @key AND c.customerId = @customer", mailboxKey, customer.Value, cancellationToken);
        }

        if (stored is not null)
        {
            using var deleted = await containers.Profiles.DeleteItemStreamAsync(customer.Value, new PartitionKey(customer.Value), cancellationToken: cancellationToken);
            if (deleted.StatusCode != HttpStatusCode.NotFound) CosmosFeeds.EnsureSuccess(deleted, "delete an erased customer's profile");
        }

        return new StoreErasure(before, stored is not null, profile?.Lines.Count() ?? 0, messages);
    }

    /// <summary>Each message is written under the tombstone, its send record pointed there, and only then the original deleted.</summary>
    private async Task<int> ScrubMessagesAsync(CustomerId customer, Tombstone tombstone, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.customerId = @customerId").WithParameter("@customerId", customer.Value);
        var messages = new List<MessageRecord>();
        await foreach (var document in CosmosFeeds.QueryPartitionAsync(containers.Messages, query, customer.Value, cancellationToken)) messages.Add(MessageDocument.Read(document));
        var buffer = new ArrayBufferWriter<byte>(1024);
        foreach (var message in messages)
        {
            var scrubbed = MessageErasure.Scrub(message, tombstone);
            buffer.ResetWrittenCount();
            using (var written = await containers.Messages.UpsertItemStreamAsync(
                CosmosFeeds.Body(MessageDocument.Write(scrubbed, buffer)), new PartitionKey(tombstone.Value), cancellationToken: cancellationToken))
            {
                CosmosFeeds.EnsureSuccess(written, "keep an erased customer's message as a count");
            }

            if (await CosmosFeeds.ReadAsync(containers.Sends, message.MessageId.Value, message.MessageId.Value, cancellationToken) is not null)
            {
                await CosmosMessageLog.AddSendAsync(containers, scrubbed, cancellationToken);
            }

            using var deleted = await containers.Messages.DeleteItemStreamAsync(message.MessageId.Value, new PartitionKey(customer.Value), cancellationToken: cancellationToken);
            if (deleted.StatusCode != HttpStatusCode.NotFound) CosmosFeeds.EnsureSuccess(deleted, "delete an erased customer's message");
        }

        return messages.Count;
    }

    private static async Task DeleteAllAsync(Container container, string query, string partition, string customer, CancellationToken cancellationToken)
    {
        var definition = new QueryDefinition(query).WithParameter("@key", partition).WithParameter("@customer", customer);
        var ids = new List<string>();
        await foreach (var document in CosmosFeeds.QueryPartitionAsync(container, definition, partition, cancellationToken)) ids.Add(document.GetProperty("id").GetString()!);
        foreach (var id in ids)
        {
            using var deleted = await container.DeleteItemStreamAsync(id, new PartitionKey(partition), cancellationToken: cancellationToken);
            if (deleted.StatusCode != HttpStatusCode.NotFound) CosmosFeeds.EnsureSuccess(deleted, $"delete an erased customer's document in '{container.Id}'");
        }
    }

    public async Task<bool> IsErasedAsync(CustomerId customerId, CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        return await SaltAsync(create: false, cancellationToken) is { } salt && await IsErasedAsync(customerId, salt, cancellationToken);
    }

    /// <summary>For the profile writer, which reads the salt once per batch (<see cref="SaltAsync"/>): one point read.</summary>
    internal async Task<bool> IsErasedAsync(CustomerId customerId, byte[] salt, CancellationToken cancellationToken)
    {
        var tombstone = Tombstone.Of(customerId, salt).Value;
        return await CosmosFeeds.ReadAsync(containers.Erasures, tombstone, tombstone, cancellationToken) is not null;
    }

    /// <summary>Deleted documents are gone from the service: nothing to purge.</summary>
    public Task PurgeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>The salt; null while no customer was ever erased (unless <paramref name="create"/>). Kept once found: it never changes.</summary>
    internal async Task<byte[]?> SaltAsync(bool create, CancellationToken cancellationToken)
    {
        if (_salt is not null) return _salt;
        while (true)
        {
            if (await CosmosFeeds.ReadAsync(containers.Erasures, SaltId, SaltId, cancellationToken) is { } stored)
            {
                using var document = JsonDocument.Parse(stored.Json);
                return _salt = document.RootElement.GetProperty("value").GetBytesFromBase64();
            }

            if (!create) return null;
            var json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["id"] = SaltId, ["value"] = Convert.ToBase64String(Tombstone.NewSalt()) });
            using var created = await containers.Erasures.CreateItemStreamAsync(CosmosFeeds.Body(json), new PartitionKey(SaltId), cancellationToken: cancellationToken);
            // 409: another process made it first; read theirs.
            if (created.StatusCode != HttpStatusCode.Conflict) CosmosFeeds.EnsureSuccess(created, "create the erasure salt");
        }
    }
}
