using System.Buffers;
using System.Net;
using Automation.Profiles.Storage;
using Automation.Storage.Cosmos.Documents;
using Microsoft.Azure.Cosmos;
using NodaTime;

namespace Automation.Storage.Cosmos;

/// <summary>
/// Folding on Cosmos DB: one pass over the <c>profiles</c> change feed, a page in memory at a time; a
/// document with lines older than the point is replaced under its ETag, read again and folded again when
/// a writer got there first. What keeps a long-lived customer's document under the 2 MB item limit.
/// </summary>
public sealed class CosmosLineFolding(CosmosContainers containers, CosmosStoreSettings settings) : ILineFolding
{
    public async Task<long> FoldAsync(Instant before, CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        var point = before.ToUnixTimeSeconds();
        var folded = 0L;
        var buffer = new ArrayBufferWriter<byte>(4096);
        await foreach (var item in CosmosFeeds.ReadAllAsync(containers.Profiles, cancellationToken))
        {
            var document = ProfileDocument.Parse(item);
            var lines = document.FoldBefore(point);
            if (lines > 0) folded += await WriteAsync(document, lines, item.GetProperty("_etag").GetString()!, point, buffer, cancellationToken);
        }

        return folded;
    }

    /// <summary>Writes a document <paramref name="folded"/> lines were folded from; returns how many stayed folded.</summary>
    private async Task<int> WriteAsync(ProfileDocument document, int folded, string etag, long point, ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
    {
        var customerId = document.Profile.CustomerId;
        while (true)
        {
            if (folded == 0) return 0;
            using (var replaced = await containers.Profiles.ReplaceItemStreamAsync(CosmosFeeds.Body(document.Serialize(settings.MessageRetentionDays, buffer)),
                customerId, new PartitionKey(customerId), new ItemRequestOptions { IfMatchEtag = etag }, cancellationToken))
            {
                if (replaced.IsSuccessStatusCode) return folded;
                // Erased meanwhile: nothing left to fold.
                if (replaced.StatusCode == HttpStatusCode.NotFound) return 0;
                if (replaced.StatusCode != HttpStatusCode.PreconditionFailed) CosmosFeeds.EnsureSuccess(replaced, "fold a profile's old transaction lines");
            }

            if (await CosmosFeeds.ReadAsync(containers.Profiles, customerId, customerId, cancellationToken) is not { } stored) return 0;
            (document, etag) = (ProfileDocument.Parse(stored.Json), stored.ETag);
            folded = document.FoldBefore(point);
        }
    }
}
