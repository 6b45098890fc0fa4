using System.Buffers;
using System.Net;
using System.Text.Json;
using Automation.Profiles.Storage;
using Microsoft.Azure.Cosmos;
using NodaTime.Text;

namespace Automation.Storage.Cosmos;

/// <summary>
/// The incomplete consents exports in one document of the <c>ingestions</c> container, so the check
/// before every plan and delivery is a single point read. Changes replace it under its ETag; it never
/// expires (ttl −1) whatever the container's retention.
/// </summary>
public sealed class CosmosConsentsGate(CosmosContainers containers) : IConsentsGate
{
    private const string DocumentId = "consents-gate";

    public async Task<IReadOnlyList<IncompleteConsentsExport>> IncompleteAsync(CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        return Parse(await CosmosFeeds.ReadAsync(containers.Ingestions, DocumentId, DocumentId, cancellationToken));
    }

    public Task MarkIncompleteAsync(IncompleteConsentsExport export, CancellationToken cancellationToken = default) =>
        ChangeAsync(list => [.. list.Where(e => e.Name != export.Name), export], cancellationToken);

    public Task MarkCompleteAsync(string name, CancellationToken cancellationToken = default) =>
        ChangeAsync(list => [.. list.Where(e => e.Name != name)], cancellationToken);

    private async Task ChangeAsync(Func<IReadOnlyList<IncompleteConsentsExport>, List<IncompleteConsentsExport>> change, CancellationToken cancellationToken)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        while (true)
        {
            var stored = await CosmosFeeds.ReadAsync(containers.Ingestions, DocumentId, DocumentId, cancellationToken);
            var before = Parse(stored);
            var after = change(before).OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
            if (stored is null && after.Count == 0) return;
            var body = Serialize(after);
            using var response = stored is null
                ? await containers.Ingestions.CreateItemStreamAsync(CosmosFeeds.Body(body), new PartitionKey(DocumentId), cancellationToken: cancellationToken)
                : await containers.Ingestions.ReplaceItemStreamAsync(CosmosFeeds.Body(body), DocumentId, new PartitionKey(DocumentId),
                    new ItemRequestOptions { IfMatchEtag = stored.ETag }, cancellationToken);
            // Another ingestion changed the gate in between: read it again and reapply the change.
            if (response.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict) continue;
            CosmosFeeds.EnsureSuccess(response, "update the consents gate");
            return;
        }
    }

    private static List<IncompleteConsentsExport> Parse(StoredDocument? stored)
    {
        if (stored is null) return [];
        using var document = JsonDocument.Parse(stored.Json);
        return document.RootElement.GetProperty("incomplete").EnumerateArray().Select(e => new IncompleteConsentsExport(
            e.GetProperty("name").GetString()!,
            e.GetProperty("contentId").GetString()!,
            e.GetProperty("reason").GetString()!,
            InstantPattern.ExtendedIso.Parse(e.GetProperty("since").GetString()!).GetValueOrThrow())).ToList();
    }

    private static ReadOnlyMemory<byte> Serialize(IReadOnlyList<IncompleteConsentsExport> incomplete)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", DocumentId);
            writer.WriteNumber("ttl", -1);
            writer.WriteStartArray("incomplete");
            foreach (var export in incomplete)
            {
                writer.WriteStartObject();
                writer.WriteString("name", export.Name);
                writer.WriteString("contentId", export.ContentId);
                writer.WriteString("reason", export.Reason);
                writer.WriteString("since", InstantPattern.ExtendedIso.Format(export.Since));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }
}
