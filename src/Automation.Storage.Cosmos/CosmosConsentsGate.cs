using System.Buffers;
using System.Text.Json;
using Automation.Profiles.Storage;
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
        // Another ingestion may change the gate in between: the update then reapplies the change.
        await CosmosFeeds.UpdateAsync(containers.Ingestions, DocumentId, stored =>
        {
            var after = change(Parse(stored)).OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
            return stored is null && after.Count == 0 ? null : Serialize(after);
        }, "update the consents gate", cancellationToken);
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
