using System.Buffers;
using System.Net;
using Automation.Context.Areas;
using Automation.Profiles.Changes;
using Automation.Profiles.Storage;
using Automation.Storage.Cosmos.Documents;
using Microsoft.Azure.Cosmos;

namespace Automation.Storage.Cosmos;

/// <summary>
/// A write session on the <c>profiles</c> container. Changes wait in memory, grouped by customer, until
/// the commit (or until <see cref="CosmosStoreSettings.WriteBatchChanges"/> of them wait); then each
/// customer's document is read (or taken from the session's cache with its ETag), the changes are
/// classified and merged, and the document is written back only if its ETag is still the one read
/// (create-if-absent for a new customer). If another writer got there first (412 or 409), the
/// customer's changes are classified and merged again on the fresh document, so a line another writer
/// recorded meanwhile counts as a duplicate, never twice. Customers are written concurrently; with
/// bulk execution on, the SDK packs those point writes into batches per partition. A profile's forecast
/// area is added to the set of areas in use before the profile is written, so a crash in between
/// leaves at worst an area without customers, never a customer outside the set.
/// </summary>
internal sealed class CosmosProfileWriter(Container profiles, CosmosStoreSettings settings, CosmosContextStore context, AreaLocator areaLocator) : IProfileWriter
{
    private const int MaxAttempts = 20;
    private readonly Dictionary<string, List<ProfileChange>> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredDocument> _cache = new(StringComparer.Ordinal);
    private readonly Lock _cacheLock = new();
    private int _pendingChanges;
    private ApplyResult _sinceCommit;
    private bool _broken;
    private bool _disposed;

    public async Task ApplyAsync(IReadOnlyList<ProfileChange> changes, CancellationToken cancellationToken = default)
    {
        ThrowIfUnusable();
        foreach (var change in changes)
        {
            if (!_pending.TryGetValue(change.CustomerId, out var list)) _pending[change.CustomerId] = list = [];
            list.Add(change);
        }

        _pendingChanges += changes.Count;
        // Cosmos DB has no transaction across customers: a long session writes as it goes, and a resumed
        // run recognises the lines it recorded (each with its file and line) as replays.
        if (_pendingChanges >= settings.WriteBatchChanges) await WritePendingAsync(cancellationToken);
    }

    public async Task<ApplyResult> CommitAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfUnusable();
        await WritePendingAsync(cancellationToken);
        var committed = _sinceCommit;
        _sinceCommit = default;
        return committed;
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_broken) throw new InvalidOperationException("An earlier write of this session failed; open a new one.");
    }

    public ValueTask DisposeAsync()
    {
        // What was not written is discarded with the session.
        _disposed = true;
        _pending.Clear();
        _cache.Clear();
        return ValueTask.CompletedTask;
    }

    private async Task WritePendingAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0) return;
        var total = default(ApplyResult);
        var totalLock = new Lock();
        try
        {
            await Parallel.ForEachAsync(_pending, new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrentOperations, CancellationToken = cancellationToken },
                async (customer, token) =>
                {
                    var result = await WriteCustomerAsync(customer.Key, customer.Value, token);
                    lock (totalLock) total += result;
                });
        }
        catch
        {
            _broken = true;
            throw;
        }

        _sinceCommit += total;
        _pending.Clear();
        _pendingChanges = 0;
        if (_cache.Count > settings.ProfileCacheSize) _cache.Clear();
    }

    private async Task<ApplyResult> WriteCustomerAsync(string customerId, List<ProfileChange> changes, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        var known = Cached(customerId) ?? await CosmosFeeds.ReadAsync(profiles, customerId, customerId, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var document = known is null ? ProfileDocument.New(customerId) : ProfileDocument.Parse(known.Json);
            var result = default(ApplyResult);
            if (!document.Apply(changes, ref result)) return result;
            if (areaLocator.Locate(document.Profile) is { } area) await context.AddAreaAsync(area, cancellationToken);

            var json = document.Serialize(settings.MessageRetentionDays, buffer);
            using var response = known is null
                ? await profiles.CreateItemStreamAsync(CosmosFeeds.Body(json), new PartitionKey(customerId), cancellationToken: cancellationToken)
                : await profiles.ReplaceItemStreamAsync(CosmosFeeds.Body(json), customerId, new PartitionKey(customerId),
                    new ItemRequestOptions { IfMatchEtag = known.ETag }, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                Remember(customerId, new StoredDocument(json.ToArray(), response.Headers.ETag));
                return result;
            }

            if (response.StatusCode is not (HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict) || attempt == MaxAttempts)
            {
                CosmosFeeds.EnsureSuccess(response, $"write a profile after {attempt} attempt(s)");
            }

            // Someone else wrote this customer since we read it: start again from what is there now.
            known = await CosmosFeeds.ReadAsync(profiles, customerId, customerId, cancellationToken);
        }
    }

    private StoredDocument? Cached(string customerId)
    {
        lock (_cacheLock) return _cache.GetValueOrDefault(customerId);
    }

    private void Remember(string customerId, StoredDocument document)
    {
        if (settings.ProfileCacheSize == 0) return;
        lock (_cacheLock) _cache[customerId] = document;
    }
}
