using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Automation.Planning.Mailboxes;
using Automation.Profiles.Mailboxes;
using Automation.Profiles.Serialization;
using Microsoft.Azure.Cosmos;
using NodaTime;
using NodaTime.Text;

namespace Automation.Storage.Cosmos;

/// <summary>
/// The <c>mailboxes</c> container, partitioned by <c>/partition</c>: each mailbox is a partition of its
/// own (its document, id = key, and its day claims, which expire after a week), and one more partition,
/// <c>shared</c>, lists the keys of mailboxes that more than one customer has had, so the plan reads
/// them with one single-partition query. A key stays listed when its customers part: the plan reads
/// the mailbox and skips it.
/// </summary>
public sealed class CosmosMailboxes(CosmosContainers containers) : IMailboxes
{
    private const string SharedPartition = "shared";
    private const int ClaimSeconds = 7 * 86_400;

    public async IAsyncEnumerable<Mailbox> ReadSharedAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        var query = new QueryDefinition("SELECT c.id FROM c WHERE c.partition = @shared").WithParameter("@shared", SharedPartition);
        var keys = new List<string>();
        await foreach (var marker in CosmosFeeds.QueryPartitionAsync(containers.Mailboxes, query, SharedPartition, cancellationToken))
        {
            keys.Add(marker.GetProperty("id").GetString()!);
        }

        foreach (var key in keys)
        {
            if (await GetAsync(key, cancellationToken) is { IsShared: true } mailbox) yield return mailbox;
        }
    }

    public async Task<Mailbox?> GetAsync(string mailboxKey, CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        var stored = await CosmosFeeds.ReadAsync(containers.Mailboxes, mailboxKey, mailboxKey, cancellationToken);
        return stored is null ? null : Parse(stored);
    }

    public async Task<MailboxDayClaim> ClaimDayAsync(string mailboxKey, LocalDate day, MailboxDayClaim claim, CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        var id = "day-" + LocalDatePattern.Iso.Format(day);
        while (true)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
            {
                ["id"] = id, ["partition"] = mailboxKey, ["messageId"] = claim.MessageId, ["customerId"] = claim.CustomerId, ["ttl"] = ClaimSeconds,
            });
            using (var created = await containers.Mailboxes.CreateItemStreamAsync(CosmosFeeds.Body(json), new PartitionKey(mailboxKey), cancellationToken: cancellationToken))
            {
                if (created.IsSuccessStatusCode) return claim;
                if (created.StatusCode != HttpStatusCode.Conflict) CosmosFeeds.EnsureSuccess(created, "claim a mailbox's day");
            }

            // Claimed already; if the claim expired before this read, the day is free again.
            if (await CosmosFeeds.ReadAsync(containers.Mailboxes, id, mailboxKey, cancellationToken) is not { } stored) continue;
            using var document = JsonDocument.Parse(stored.Json);
            return new MailboxDayClaim(document.RootElement.GetProperty("messageId").GetString()!, document.RootElement.GetProperty("customerId").GetString()!);
        }
    }

    /// <summary>
    /// Read-modify-write of one mailbox under its ETag. A mailbox that is shared afterwards is listed in
    /// the <c>shared</c> partition every time, so a crash between the two writes is repaired by the retry.
    /// </summary>
    internal async Task<(Mailbox Before, Mailbox After)> UpdateAsync(string key, Func<Mailbox, Mailbox> change, CancellationToken cancellationToken)
    {
        Mailbox before = null!, after = null!;
        await CosmosFeeds.UpdateAsync(containers.Mailboxes, key, stored =>
        {
            before = stored is null ? new Mailbox(key, []) : Parse(stored);
            after = change(before);
            // Typed: a null array would become an empty body, not "leave it".
            return after.SameAs(before) ? null : (ReadOnlyMemory<byte>?)Serialize(after);
        }, "update a mailbox", cancellationToken);
        if (after.IsShared)
        {
            var marker = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["id"] = key, ["partition"] = SharedPartition });
            using var listed = await containers.Mailboxes.UpsertItemStreamAsync(CosmosFeeds.Body(marker), new PartitionKey(SharedPartition), cancellationToken: cancellationToken);
            CosmosFeeds.EnsureSuccess(listed, "list a shared mailbox");
        }

        return (before, after);
    }

    private static Mailbox Parse(StoredDocument stored)
    {
        using var document = JsonDocument.Parse(stored.Json);
        return ProfileJson.DeserializeMailbox(document.RootElement.GetProperty("mailbox"));
    }

    private static byte[] Serialize(Mailbox mailbox)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", mailbox.Key);
            writer.WriteString("partition", mailbox.Key);
            writer.WritePropertyName("mailbox");
            ProfileJson.Write(writer, mailbox);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
