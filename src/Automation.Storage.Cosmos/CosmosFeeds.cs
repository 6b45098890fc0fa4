using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Azure.Cosmos;

namespace Automation.Storage.Cosmos;

/// <summary>Reading and checking what Cosmos DB answers, in one place for every container.</summary>
internal static class CosmosFeeds
{
    private const int ChangeFeedPageSize = 1_000;

    /// <summary>
    /// Every document of one feed range as it is now (change feed from the beginning, latest version),
    /// page by page: memory holds one page. An element is valid until the enumeration moves on.
    /// </summary>
    public static async IAsyncEnumerable<JsonElement> ReadRangeAsync(
        Container container, FeedRange range, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var iterator = container.GetChangeFeedStreamIterator(
            ChangeFeedStartFrom.Beginning(range), ChangeFeedMode.LatestVersion, new ChangeFeedRequestOptions { PageSizeHint = ChangeFeedPageSize });
        while (iterator.HasMoreResults)
        {
            using var page = await iterator.ReadNextAsync(cancellationToken);
            if (page.StatusCode == HttpStatusCode.NotModified) yield break;
            EnsureSuccess(page, $"read the change feed of '{container.Id}'");
            using var document = await JsonDocument.ParseAsync(page.Content, cancellationToken: cancellationToken);
            foreach (var item in document.RootElement.GetProperty("Documents").EnumerateArray()) yield return item;
        }
    }

    /// <summary>Every document of the container, one feed range after the other.</summary>
    public static async IAsyncEnumerable<JsonElement> ReadAllAsync(Container container, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var range in await container.GetFeedRangesAsync(cancellationToken))
        {
            await foreach (var item in ReadRangeAsync(container, range, cancellationToken)) yield return item;
        }
    }

    /// <summary>The documents of one partition that a query selects; the key is in the WHERE clause as well as in the options.</summary>
    public static async IAsyncEnumerable<JsonElement> QueryPartitionAsync(
        Container container, QueryDefinition query, string partitionKey, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var iterator = container.GetItemQueryStreamIterator(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKey(partitionKey) });
        while (iterator.HasMoreResults)
        {
            using var page = await iterator.ReadNextAsync(cancellationToken);
            EnsureSuccess(page, $"query '{container.Id}'");
            using var document = await JsonDocument.ParseAsync(page.Content, cancellationToken: cancellationToken);
            foreach (var item in document.RootElement.GetProperty("Documents").EnumerateArray()) yield return item;
        }
    }

    /// <summary>Reads one document with its ETag; null when it does not exist.</summary>
    public static async Task<StoredDocument?> ReadAsync(Container container, string id, string partitionKey, CancellationToken cancellationToken)
    {
        using var response = await container.ReadItemStreamAsync(id, new PartitionKey(partitionKey), cancellationToken: cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        EnsureSuccess(response, $"read a document of '{container.Id}'");
        using var copy = new MemoryStream();
        await response.Content.CopyToAsync(copy, cancellationToken);
        return new StoredDocument(copy.ToArray(), response.Headers.ETag);
    }

    /// <summary>
    /// Read-modify-write of one document that is its own partition, under its ETag: when another process
    /// changed it in between, it is read again and <paramref name="change"/> applied again. A change that
    /// returns null leaves the document as it is.
    /// </summary>
    public static async Task UpdateAsync(Container container, string id, Func<StoredDocument?, ReadOnlyMemory<byte>?> change, string what, CancellationToken cancellationToken)
    {
        while (true)
        {
            var stored = await ReadAsync(container, id, id, cancellationToken);
            if (change(stored) is not { } body) return;
            using var response = stored is null
                ? await container.CreateItemStreamAsync(Body(body), new PartitionKey(id), cancellationToken: cancellationToken)
                : await container.ReplaceItemStreamAsync(Body(body), id, new PartitionKey(id), new ItemRequestOptions { IfMatchEtag = stored.ETag }, cancellationToken);
            if (response.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict) continue;
            EnsureSuccess(response, what);
            return;
        }
    }

    public static void EnsureSuccess(ResponseMessage response, string what)
    {
        if (response.IsSuccessStatusCode) return;
        // The SDK's message carries the service's explanation; it names no document content.
        throw new CosmosStoreException(
            $"Cosmos DB could not {what}: {(int)response.StatusCode} {response.StatusCode}. {response.ErrorMessage}",
            response.Diagnostics is null ? null : new InvalidOperationException(response.Diagnostics.ToString()));
    }

    /// <summary>A request body over the serialised document, without copying it (the caller keeps the buffer until the response).</summary>
    public static Stream Body(ReadOnlyMemory<byte> json) => MemoryMarshal.TryGetArray(json, out var written)
        ? new MemoryStream(written.Array!, written.Offset, written.Count, writable: false)
        : new MemoryStream(json.ToArray(), writable: false);
}

/// <summary>A document as read or written, with the ETag that proves it current.</summary>
internal sealed record StoredDocument(byte[] Json, string ETag);
