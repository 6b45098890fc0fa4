using System.Buffers;
using System.Net;
using System.Text.Json;
using Automation.Ingestion;
using Automation.Ingestion.Formats;
using Microsoft.Azure.Cosmos;
using NodaTime;
using NodaTime.Text;

namespace Automation.Storage.Cosmos;

/// <summary>Completed export contents in the <c>ingestions</c> container, one document per content id (its own partition).</summary>
public sealed class CosmosIngestionLedger(CosmosContainers containers) : IIngestionLedger
{
    public async Task<IngestedFile?> FindAsync(string contentId, CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        var read = await CosmosFeeds.ReadAsync(containers.Ingestions, contentId, contentId, cancellationToken);
        if (read is null) return null;
        using var document = JsonDocument.Parse(read.Json);
        var root = document.RootElement;
        return new IngestedFile(
            contentId,
            root.GetProperty("name").GetString()!,
            Enum.Parse<ExportKind>(root.GetProperty("kind").GetString()!),
            root.GetProperty("rowsRead").GetInt64(),
            root.GetProperty("accepted").GetInt64(),
            root.GetProperty("rejected").GetInt64(),
            root.GetProperty("warnings").GetInt64(),
            root.GetProperty("duplicates").GetInt64(),
            InstantPattern.ExtendedIso.Parse(root.GetProperty("completedAt").GetString()!).GetValueOrThrow());
    }

    /// <summary>
    /// A claim is a document <c>claim-&lt;content id&gt;</c> of its own partition, created if absent or
    /// replaced under its ETag when it is the claimant's or has lapsed; it expires a day after its last write.
    /// </summary>
    public async Task<bool> TryClaimAsync(string contentId, string claimant, Instant now, Instant until, CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        var id = ClaimId(contentId);
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["id"] = id, ["claimant"] = claimant, ["untilMs"] = until.ToUnixTimeMilliseconds(), ["ttl"] = 86_400,
        });
        while (true)
        {
            var stored = await CosmosFeeds.ReadAsync(containers.Ingestions, id, id, cancellationToken);
            if (stored is not null)
            {
                using var document = JsonDocument.Parse(stored.Json);
                var holder = document.RootElement.GetProperty("claimant").GetString();
                if (holder != claimant && document.RootElement.GetProperty("untilMs").GetInt64() >= now.ToUnixTimeMilliseconds()) return false;
            }

            using var response = stored is null
                ? await containers.Ingestions.CreateItemStreamAsync(CosmosFeeds.Body(body), new PartitionKey(id), cancellationToken: cancellationToken)
                : await containers.Ingestions.ReplaceItemStreamAsync(CosmosFeeds.Body(body), id, new PartitionKey(id), new ItemRequestOptions { IfMatchEtag = stored.ETag }, cancellationToken);
            // Another run claimed or renewed in between: look again.
            if (response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed) continue;
            CosmosFeeds.EnsureSuccess(response, "claim an ingestion");
            return true;
        }
    }

    public async Task ReleaseAsync(string contentId, string claimant, CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        var id = ClaimId(contentId);
        if (await CosmosFeeds.ReadAsync(containers.Ingestions, id, id, cancellationToken) is not { } stored) return;
        using (var document = JsonDocument.Parse(stored.Json))
        {
            if (document.RootElement.GetProperty("claimant").GetString() != claimant) return;
        }

        using var deleted = await containers.Ingestions.DeleteItemStreamAsync(id, new PartitionKey(id), new ItemRequestOptions { IfMatchEtag = stored.ETag }, cancellationToken);
        // Gone, or taken over after it lapsed: either way no longer this run's.
        if (deleted.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.PreconditionFailed)) CosmosFeeds.EnsureSuccess(deleted, "release an ingestion claim");
    }

    private static string ClaimId(string contentId) => "claim-" + contentId;

    /// <summary>Create-if-absent: the first completion of a content is the one kept.</summary>
    public async Task RecordAsync(IngestedFile file, CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", file.ContentId);
            writer.WriteString("name", file.Name);
            writer.WriteString("kind", file.Kind.ToString());
            writer.WriteNumber("rowsRead", file.RowsRead);
            writer.WriteNumber("accepted", file.Accepted);
            writer.WriteNumber("rejected", file.Rejected);
            writer.WriteNumber("warnings", file.Warnings);
            writer.WriteNumber("duplicates", file.Duplicates);
            writer.WriteString("completedAt", InstantPattern.ExtendedIso.Format(file.CompletedAt));
            writer.WriteEndObject();
        }

        using var response = await containers.Ingestions.CreateItemStreamAsync(
            CosmosFeeds.Body(buffer.WrittenMemory), new PartitionKey(file.ContentId), cancellationToken: cancellationToken);
        if (response.StatusCode != HttpStatusCode.Conflict) CosmosFeeds.EnsureSuccess(response, "record an ingested file");
    }
}
