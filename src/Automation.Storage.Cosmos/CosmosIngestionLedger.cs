using System.Buffers;
using System.Net;
using System.Text.Json;
using Automation.Ingestion;
using Automation.Ingestion.Formats;
using Microsoft.Azure.Cosmos;
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
