using System.Buffers;
using System.Net;
using Automation.Profiles.Changes;
using Automation.Profiles.Identifiers;
using Automation.Profiles.Mailboxes;
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
/// bulk execution on, the SDK packs those point writes into batches per partition. The commit hooks'
/// followers see each profile once it is written (or found unchanged) and run after the commit. Mailboxes
/// (<see cref="MailboxRules"/>) are written before the profile too, and a refusal through one customer
/// is passed on to the other customers at the address before the profile that brought it is written:
/// a crash in between leaves the change unwritten, and the retry or re-run passes it on again.
/// </summary>
internal sealed class CosmosProfileWriter(
    Container profiles, CosmosStoreSettings settings, CosmosMailboxes mailboxes, CosmosErasureStore erasures, IReadOnlyList<IProfileCommitFollower> followers) : IProfileWriter
{
    private const int MaxAttempts = 20;
    private readonly Dictionary<string, List<ProfileChange>> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredDocument> _cache = new(StringComparer.Ordinal);
    private readonly Lock _cacheLock = new();
    private readonly CommitFindings _findings = new();
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
        foreach (var follower in followers) await follower.CommittedAsync(cancellationToken);
        var committed = _sinceCommit;
        _sinceCommit = default;
        _findings.Committed();
        return committed;
    }

    public WriterFindings TakeFindings() => _findings.Take();

    private void Merged(ProfileDocument document)
    {
        foreach (var follower in followers) follower.Merged(document.Profile);
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
        // Once per batch: while no customer was ever erased, a new customer costs no extra read.
        var salt = await erasures.SaltAsync(create: false, cancellationToken);
        try
        {
            await Parallel.ForEachAsync(_pending, new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrentOperations, CancellationToken = cancellationToken },
                async (customer, token) =>
                {
                    var result = await WriteCustomerAsync(customer.Key, customer.Value, salt, token);
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

    private async Task<ApplyResult> WriteCustomerAsync(string customerId, List<ProfileChange> changes, byte[]? erasureSalt, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        var known = Cached(customerId) ?? await CosmosFeeds.ReadAsync(profiles, customerId, customerId, cancellationToken);
        // An old export may bring back a customer who was erased: only one without a profile can be.
        if (known is null && erasureSalt is not null && await erasures.IsErasedAsync(new CustomerId(customerId), erasureSalt, cancellationToken))
        {
            _findings.Erased(changes);
            return new ApplyResult(0, 0, changes.Count);
        }

        for (var attempt = 1; ; attempt++)
        {
            var document = known is null ? ProfileDocument.New(customerId) : ProfileDocument.Parse(known.Json);
            var result = default(ApplyResult);
            var emailBefore = document.Profile.Email;
            var changed = document.Apply(changes, ref result);
            if (MailboxRules.Move(emailBefore, document.Profile, changes) is { } move) changed |= await MoveAsync(move, document, cancellationToken);
            if (!changed)
            {
                Merged(document);
                return result;
            }

            var json = document.Serialize(settings.MessageRetentionDays, buffer);
            using var response = known is null
                ? await profiles.CreateItemStreamAsync(CosmosFeeds.Body(json), new PartitionKey(customerId), cancellationToken: cancellationToken)
                : await profiles.ReplaceItemStreamAsync(CosmosFeeds.Body(json), customerId, new PartitionKey(customerId),
                    new ItemRequestOptions { IfMatchEtag = known.ETag }, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                Remember(customerId, new StoredDocument(json.ToArray(), response.Headers.ETag));
                Merged(document);
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

    /// <summary>
    /// Updates the mailboxes the customer left and joined, passes what was said through the customer on
    /// to the other holders, and brings the customer's own document (not yet written) under what was
    /// said through them. Returns whether the customer's document changed.
    /// </summary>
    private async Task<bool> MoveAsync(MailboxMove move, ProfileDocument document, CancellationToken cancellationToken)
    {
        if (move.Left is { } left && left != move.Joined) await mailboxes.UpdateAsync(left, m => MailboxRules.Leave(m, move.CustomerId), cancellationToken);
        if (move.Joined is not { } joined) return false;
        var (before, after) = await mailboxes.UpdateAsync(joined, m => MailboxRules.Apply(m, move), cancellationToken);
        if (!before.Holders.Contains(move.CustomerId) && before.Holders.Count > 0 && move.JoinedBy is { } line)
        {
            _findings.Shared(new SharedAddress(line, move.CustomerId, before.Holders));
        }

        if (after.Refusal is null && after.Group is null) return false;
        foreach (var holder in after.OthersThan(move.CustomerId)) await BringUnderAsync(after, holder, move.Source, cancellationToken);
        var owed = MailboxRules.Owed(after, document.Profile, move.Source);
        var ignored = default(ApplyResult);
        return owed.Count > 0 && document.Apply(owed, ref ignored);
    }

    /// <summary>Another holder's document, brought under what was said through the mailbox, under its ETag.</summary>
    private async Task BringUnderAsync(Mailbox mailbox, string customerId, LineSource source, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        while (true)
        {
            if (await CosmosFeeds.ReadAsync(profiles, customerId, customerId, cancellationToken) is not { } stored) return;
            var document = ProfileDocument.Parse(stored.Json);
            var owed = MailboxRules.Owed(mailbox, document.Profile, source);
            var ignored = default(ApplyResult);
            if (owed.Count == 0 || !document.Apply(owed, ref ignored)) return;
            var json = document.Serialize(settings.MessageRetentionDays, buffer);
            using var response = await profiles.ReplaceItemStreamAsync(CosmosFeeds.Body(json), customerId, new PartitionKey(customerId),
                new ItemRequestOptions { IfMatchEtag = stored.ETag }, cancellationToken);
            if (response.StatusCode == HttpStatusCode.PreconditionFailed) continue;
            CosmosFeeds.EnsureSuccess(response, "pass a refusal on to a customer at the same address");
            lock (_cacheLock) _cache.Remove(customerId);
            return;
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
