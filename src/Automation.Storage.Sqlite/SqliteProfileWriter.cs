using Automation.Profiles.Changes;
using Automation.Profiles.Erasure;
using Automation.Profiles.Identifiers;
using Automation.Profiles.Mailboxes;
using Automation.Profiles.Model;
using Automation.Profiles.Serialization;
using Automation.Profiles.Storage;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace Automation.Storage.Sqlite;

/// <summary>
/// A write session: one SQLite transaction from commit to commit, holding the write lock for its
/// whole life. It works as a two-stage pipeline so both cores are used: the caller's stage decides
/// what each change is (recording transaction lines, loading profiles it has not cached yet) through
/// the connection, and a merge stage decodes, merges and re-encodes the cached profiles in order.
/// Profiles stay cached, in compact binary form, until the commit (or until the cache is full) and are
/// written back once, which is what makes exports that interleave thousands of customers fast.
/// The mailboxes (<see cref="MailboxRules"/>) are kept in the same transaction: a refusal through one
/// customer reaches every customer at the address in the transaction that records it. The commit
/// hooks' followers see each merged profile and run after each commit, before the next transaction
/// takes the write lock (they may write to the file themselves).
/// </summary>
internal sealed class SqliteProfileWriter : IProfileWriter, IRecordedLines
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate;
    private readonly int _cacheSize;
    // Owned by the merge stage, read by the caller's stage only while the merge stage is drained.
    private readonly Dictionary<string, CachedProfile> _profiles = new(StringComparer.Ordinal);
    // Owned by the caller's stage: the customers the merge stage has, or will have, in its cache.
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly Channel<MergeWork> _merges =
        Channel.CreateBounded<MergeWork>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
    private readonly Task _merging;
    private readonly Dictionary<string, long> _sourceIds = new(StringComparer.Ordinal);
    private readonly Dictionary<long, string> _contentIds = [];
    private readonly Dictionary<string, List<ProfileChange>> _groups = new(StringComparer.Ordinal);
    private readonly Stack<List<ProfileChange>> _spareLists = new();
    private readonly IReadOnlyList<IProfileCommitFollower> _followers;
    // Owned by the merge stage: what each merge did to mailboxes, in order. Read by the caller's stage only while drained.
    private readonly List<MailboxMove> _moves = [];
    private readonly CommitFindings _findings = new();
    private SqliteTransaction _transaction;
    private ApplyResult _sinceCommit;
    private RawStatement _loadProfile = null!;
    private RawStatement _saveProfile = null!;
    private RawStatement _linesOfOrder = null!;
    private RawStatement _sourceOfLine = null!;
    private RawStatement _recordLine = null!;
    private RawStatement _loadMailbox = null!;
    private RawStatement _saveMailbox = null!;
    private RawStatement _erasureSalt = null!;
    private RawStatement _tombstone = null!;
    private RawStatement _anyFolded = null!;
    private RawStatement _foldedBefore = null!;
    // Per transaction: whether any customer's lines were ever folded, and the fold points looked up (null: none).
    private bool? _anyFolds;
    private readonly Dictionary<string, long?> _foldPoints = new(StringComparer.Ordinal);
    // The store's erasure salt, read once per transaction; null while no customer was ever erased.
    private byte[]? _salt;
    private bool _saltRead;
    private readonly HashSet<string> _erased = new(StringComparer.Ordinal);
    private bool _disposed;

    public SqliteProfileWriter(SqliteDatabase database, int cacheSize, SemaphoreSlim gate, IReadOnlyList<IProfileCommitFollower> followers)
    {
        _gate = gate;
        _followers = followers;
        _cacheSize = cacheSize;
        _connection = database.Open();
        _transaction = _connection.BeginTransaction(deferred: false);
        PrepareCommands();
        _merging = Task.Run(MergeAsync);
    }

    public async Task ApplyAsync(IReadOnlyList<ProfileChange> changes, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var (result, work) = await Task.Run(() => Classify(changes, cancellationToken), cancellationToken);
        _sinceCommit += result;
        await SendAsync(work, cancellationToken);
        if (_known.Count > _cacheSize)
        {
            await DrainAsync(cancellationToken);
            await Task.Run(WriteBack, cancellationToken);
            _profiles.Clear();
            _known.Clear();
            // Bounded like the profile cache: a fold point is one indexed lookup to read again.
            _foldPoints.Clear();
        }
    }

    public async Task<ApplyResult> CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await DrainAsync(cancellationToken);
        var dataVersion = await Task.Run(Commit, cancellationToken);
        try
        {
            foreach (var follower in _followers) await follower.CommittedAsync(cancellationToken);
        }
        finally
        {
            await Task.Run(() => BeginNext(dataVersion), CancellationToken.None);
        }

        // The session held the write lock until its commit, so nothing changed what it counted.
        var committed = _sinceCommit;
        _sinceCommit = default;
        _findings.Committed();
        return committed;
    }

    public WriterFindings TakeFindings() => _findings.Take();

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            _merges.Writer.TryComplete();
            await _merging.ContinueWith(_ => { }, TaskScheduler.Default);

            // Whatever was not committed is discarded: the store stays as of the last commit.
            await _transaction.DisposeAsync();
            foreach (var statement in new[] { _loadProfile, _saveProfile, _linesOfOrder, _sourceOfLine, _recordLine, _loadMailbox, _saveMailbox, _erasureSalt, _tombstone, _anyFolded, _foldedBefore }) statement.Dispose();
            await _connection.DisposeAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The caller's stage: what each change is, and what the merge stage must do with it.</summary>
    private (ApplyResult Result, MergeWork Work) Classify(IReadOnlyList<ProfileChange> changes, CancellationToken cancellationToken)
    {
        var applied = 0;
        var duplicates = 0;
        var erased = 0;
        var customers = new List<CustomerMerge>();
        foreach (var (customerId, customerChanges) in GroupByCustomer(changes))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!_known.Contains(customerId) && IsErased(customerId))
            {
                erased += customerChanges.Count;
                _findings.Erased(customerChanges);
                continue;
            }

            List<(ProfileChange, TransactionNovelty)>? merges = null;
            foreach (var change in customerChanges)
            {
                var (outcome, novelty) = ChangeApplier.Classify(change, this);
                switch (outcome)
                {
                    case ChangeOutcome.Applied:
                        applied++;
                        (merges ??= new(customerChanges.Count)).Add((change, novelty));
                        break;
                    case ChangeOutcome.Replayed:
                        applied++;
                        break;
                    case ChangeOutcome.Duplicate:
                        duplicates++;
                        break;
                }
            }

            if (merges is null) continue;
            customers.Add(new CustomerMerge(customerId, _known.Add(customerId) ? Load(customerId) : null, merges));
        }

        return (new ApplyResult(applied, duplicates, erased), new MergeWork(customers, null));
    }

    /// <summary>A customer the session has not met yet: an old export may bring back one who was erased (<see cref="SqliteErasureStore"/>).</summary>
    private bool IsErased(string customerId)
    {
        if (_erased.Contains(customerId)) return true;
        if (!_saltRead)
        {
            try
            {
                _salt = _erasureSalt.Step() ? _erasureSalt.Blob(0).ToArray() : null;
            }
            finally
            {
                _erasureSalt.Reset();
            }

            _saltRead = true;
        }

        if (_salt is null) return false;
        var statement = _tombstone.Bind(1, Tombstone.Of(new CustomerId(customerId), _salt).Value);
        try
        {
            if (!statement.Step()) return false;
        }
        finally
        {
            statement.Reset();
        }

        _erased.Add(customerId);
        return true;
    }

    /// <summary>The merge stage: pure CPU work on the cached profiles, in the order the batches came.</summary>
    private async Task MergeAsync()
    {
        try
        {
            await foreach (var work in _merges.Reader.ReadAllAsync())
            {
                foreach (var customer in work.Customers)
                {
                    CachedProfile cached;
                    CustomerProfile profile;
                    if (customer.Loaded is { } loaded)
                    {
                        (cached, profile) = (new CachedProfile(), loaded);
                        _profiles[customer.CustomerId] = cached;
                    }
                    else
                    {
                        cached = _profiles[customer.CustomerId];
                        profile = cached.Decode();
                    }

                    var emailBefore = profile.Email;
                    foreach (var (change, novelty) in customer.Changes) ChangeApplier.Merge(profile, change, novelty);
                    if (MailboxRules.Move(emailBefore, profile, customer.Changes.Select(c => c.Change)) is { } move) _moves.Add(move);
                    foreach (var follower in _followers) follower.Merged(profile);
                    cached.Encode(profile);
                    cached.Dirty = true;
                }

                work.Drained?.TrySetResult();
            }
        }
        catch (Exception ex)
        {
            _merges.Writer.TryComplete(ex);
            throw;
        }
    }

    private async Task SendAsync(MergeWork work, CancellationToken cancellationToken)
    {
        try
        {
            await _merges.Writer.WriteAsync(work, cancellationToken);
        }
        catch (ChannelClosedException) when (_merging.IsFaulted)
        {
            await _merging;
        }
    }

    /// <summary>Waits until the merge stage has merged everything sent so far; rethrows its failure.</summary>
    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await SendAsync(new MergeWork([], drained), cancellationToken);
        await Task.WhenAny(drained.Task, _merging).WaitAsync(cancellationToken);
        if (_merging.IsFaulted) await _merging;
    }

    /// <summary>
    /// Groups changes by customer, keeping file order within each customer: one decode and encode per
    /// customer per batch. The map and its lists are reused from batch to batch.
    /// </summary>
    private Dictionary<string, List<ProfileChange>> GroupByCustomer(IReadOnlyList<ProfileChange> changes)
    {
        foreach (var list in _groups.Values)
        {
            list.Clear();
            _spareLists.Push(list);
        }

        _groups.Clear();
        foreach (var change in changes)
        {
            if (!_groups.TryGetValue(change.CustomerId, out var list))
            {
                list = _spareLists.TryPop(out var spare) ? spare : new List<ProfileChange>(2);
                _groups[change.CustomerId] = list;
            }

            list.Add(change);
        }

        return _groups;
    }

    /// <summary>Writes back and commits; returns the file's data version as of the commit.</summary>
    private long Commit()
    {
        WriteBack();
        var before = DataVersion();
        _transaction.Commit();
        _transaction.Dispose();
        return before;
    }

    private void BeginNext(long dataVersionAtCommit)
    {
        _transaction = _connection.BeginTransaction(deferred: false);

        // Another connection may have written since our commit (a follower adding areas, another process):
        // then what we cached may be stale. (data_version only changes for commits of other connections.)
        if (DataVersion() != dataVersionAtCommit)
        {
            _profiles.Clear();
            _known.Clear();
            _saltRead = false;
            _anyFolds = null;
            _foldPoints.Clear();
        }
    }

    private CustomerProfile Load(string customerId) => TryLoad(customerId) ?? new CustomerProfile(customerId);

    private CustomerProfile? TryLoad(string customerId)
    {
        var statement = _loadProfile.Bind(1, customerId);
        try
        {
            if (!statement.Step()) return null;
            var compact = statement.Blob(0);
            return ProfileBinary.IsCurrentFormat(compact) ? ProfileBinary.Decode(compact) : ProfileJson.Deserialize(statement.Blob(1));
        }
        finally
        {
            statement.Reset();
        }
    }

    /// <summary>
    /// Writes dirty profiles in key order: neighbouring keys share B-tree pages, so this appends rather
    /// than scatters. One at a time through one reused buffer: a burst of 100,000 documents written in
    /// parallel made the garbage collector grow the heap by a third (measured).
    /// </summary>
    private void WriteBack()
    {
        ApplyMoves();
        var dirty = _profiles.Where(p => p.Value.Dirty).Select(p => (Id: p.Key, Cached: p.Value)).ToArray();
        Array.Sort(dirty, (a, b) => string.CompareOrdinal(a.Id, b.Id));
        var json = new System.Buffers.ArrayBufferWriter<byte>(4096);
        foreach (var (id, cached) in dirty)
        {
            _saveProfile.Bind(1, id).Bind(2, ProfileJson.SerializeTo(cached.Decode(), json)).Bind(3, cached.Encoded).Execute();
            cached.Dirty = false;
        }
    }

    /// <summary>
    /// Keeps the mailboxes the merged customers left and joined, and brings every holder of a mailbox
    /// under what was said through any of them. Runs while the merge stage is drained, before the
    /// profiles are written back, so it all lands in the same transaction.
    /// </summary>
    private void ApplyMoves()
    {
        foreach (var move in _moves)
        {
            if (move.Left is { } left && left != move.Joined) SaveMailbox(MailboxRules.Leave(LoadMailbox(left), move.CustomerId));
            if (move.Joined is not { } joined) continue;
            var before = LoadMailbox(joined);
            var after = MailboxRules.Apply(before, move);
            if (after.SameAs(before)) continue;
            SaveMailbox(after);
            var joinedNow = !before.Holders.Contains(move.CustomerId);
            if (joinedNow && before.Holders.Count > 0 && move.JoinedBy is { } line) _findings.Shared(new SharedAddress(line, move.CustomerId, before.Holders));
            foreach (var holder in after.Holders) BringUnder(after, holder, move.Source);
        }

        _moves.Clear();
    }

    private void BringUnder(Mailbox mailbox, string customerId, LineSource source)
    {
        CustomerProfile profile;
        if (_profiles.TryGetValue(customerId, out var cached))
        {
            profile = cached.Decode();
        }
        else
        {
            if (TryLoad(customerId) is not { } stored) return;
            profile = stored;
            cached = new CachedProfile();
            cached.Encode(profile);
            _profiles[customerId] = cached;
            _known.Add(customerId);
        }

        var owed = MailboxRules.Owed(mailbox, profile, source);
        if (owed.Count == 0) return;
        foreach (var change in owed) ChangeApplier.Merge(profile, change, default);
        cached.Encode(profile);
        cached.Dirty = true;
    }

    private Mailbox LoadMailbox(string key)
    {
        var statement = _loadMailbox.Bind(1, key);
        try
        {
            return statement.Step() ? ProfileJson.DeserializeMailbox(statement.Text(0)!) : new Mailbox(key, []);
        }
        finally
        {
            statement.Reset();
        }
    }

    private void SaveMailbox(Mailbox mailbox) =>
        _saveMailbox.Bind(1, mailbox.Key).Bind(2, mailbox.Holders.Count).Bind(3, ProfileJson.Serialize(mailbox)).Execute();

    public TransactionNovelty? TryRecord(TransactionLine line)
    {
        var lineKey = line.Line ?? string.Empty;
        var otherLines = false;
        var otherLinesOfCategory = false;
        var lines = _linesOfOrder.Bind(1, line.TransactionId).Bind(2, line.CustomerId);
        try
        {
            while (lines.Step())
            {
                if (lines.Text(0) == lineKey) return null;
                otherLines = true;
                otherLinesOfCategory |= line.Category is not null && lines.Text(1) == line.Category;
            }
        }
        finally
        {
            lines.Reset();
        }

        _recordLine
            .Bind(1, line.TransactionId)
            .Bind(2, line.CustomerId)
            .Bind(3, lineKey)
            .Bind(4, line.Category)
            .Bind(5, SourceId(line.Source.FileId))
            .Bind(6, line.Source.Line)
            .Bind(7, line.OccurredAt.ToInstant().ToUnixTimeSeconds())
            .Execute();
        return new TransactionNovelty(IsNewOrder: !otherLines, IsNewCategoryInOrder: line.Category is not null && !otherLinesOfCategory);
    }

    /// <summary>One lookup per customer and transaction, and none while no lines were ever folded.</summary>
    public bool IsFolded(TransactionLine line)
    {
        _anyFolds ??= Scalar(_anyFolded) is not null;
        if (_anyFolds == false) return false;
        if (!_foldPoints.TryGetValue(line.CustomerId, out var before))
        {
            before = Scalar(_foldedBefore.Bind(1, line.CustomerId));
            _foldPoints[line.CustomerId] = before;
        }

        return before is { } point && line.OccurredAt.ToInstant().ToUnixTimeSeconds() < point;
    }

    private static long? Scalar(RawStatement statement)
    {
        try
        {
            return statement.Step() ? statement.Int64(0) : null;
        }
        finally
        {
            statement.Reset();
        }
    }

    public LineSource SourceOf(string customerId, string transactionId, string? line)
    {
        var statement = _sourceOfLine.Bind(1, transactionId).Bind(2, customerId).Bind(3, line ?? string.Empty);
        try
        {
            if (!statement.Step()) throw new InvalidOperationException("The transaction line is not recorded.");
            return new LineSource(ContentId(statement.Int64(0)), statement.Int64(1));
        }
        finally
        {
            statement.Reset();
        }
    }

    private long SourceId(string contentId)
    {
        if (_sourceIds.TryGetValue(contentId, out var id)) return id;
        using var command = Command(
            "INSERT INTO sources (content_id) VALUES ($content) ON CONFLICT (content_id) DO NOTHING; " +
            "SELECT source_id FROM sources WHERE content_id = $content;");
        command.Parameters.AddWithValue("$content", contentId);
        id = (long)command.ExecuteScalar()!;
        _sourceIds[contentId] = id;
        _contentIds[id] = contentId;
        return id;
    }

    private string ContentId(long sourceId)
    {
        if (_contentIds.TryGetValue(sourceId, out var contentId)) return contentId;
        using var command = Command("SELECT content_id FROM sources WHERE source_id = $id");
        command.Parameters.AddWithValue("$id", sourceId);
        contentId = (string)command.ExecuteScalar()!;
        _contentIds[sourceId] = contentId;
        return contentId;
    }

    private long DataVersion()
    {
        using var command = Command("PRAGMA data_version");
        return (long)command.ExecuteScalar()!;
    }

    private void PrepareCommands()
    {
        _loadProfile = new RawStatement(_connection, "SELECT compact, document FROM profiles WHERE customer_id = ?1");
        _saveProfile = new RawStatement(_connection,
            "INSERT INTO profiles (customer_id, document, compact) VALUES (?1, ?2, ?3) " +
            "ON CONFLICT (customer_id) DO UPDATE SET document = excluded.document, compact = excluded.compact");
        _sourceOfLine = new RawStatement(_connection,
            "SELECT source_id, source_line FROM transaction_lines WHERE transaction_id = ?1 AND customer_id = ?2 AND line = ?3");
        // Two plain statements beat one INSERT ... RETURNING with subqueries (measured).
        _linesOfOrder = new RawStatement(_connection,
            "SELECT line, category FROM transaction_lines WHERE transaction_id = ?1 AND customer_id = ?2");
        _recordLine = new RawStatement(_connection,
            "INSERT INTO transaction_lines (transaction_id, customer_id, line, category, source_id, source_line, occurred_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        _anyFolded = new RawStatement(_connection, "SELECT 1 FROM folded_lines LIMIT 1");
        _foldedBefore = new RawStatement(_connection, "SELECT before FROM folded_lines WHERE customer_id = ?1");
        _loadMailbox = new RawStatement(_connection, "SELECT document FROM mailboxes WHERE mailbox_key = ?1");
        _erasureSalt = new RawStatement(_connection, $"SELECT value FROM store_secrets WHERE name = '{SqliteErasureStore.SaltName}'");
        _tombstone = new RawStatement(_connection, "SELECT 1 FROM erasures WHERE tombstone = ?1");
        _saveMailbox = new RawStatement(_connection,
            "INSERT INTO mailboxes (mailbox_key, holders, document) VALUES (?1, ?2, ?3) " +
            "ON CONFLICT (mailbox_key) DO UPDATE SET holders = excluded.holders, document = excluded.document");
    }

    private SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        return command;
    }

    private sealed record CustomerMerge(string CustomerId, CustomerProfile? Loaded, List<(ProfileChange Change, TransactionNovelty Novelty)> Changes);

    /// <summary>One batch for the merge stage, or (with <c>Drained</c>) a marker it signals when reached.</summary>
    private sealed record MergeWork(List<CustomerMerge> Customers, TaskCompletionSource? Drained);

    /// <summary>A profile in the session's cache, in its compact binary form, re-encoded in place.</summary>
    private sealed class CachedProfile
    {
        private byte[] _buffer = [];
        private int _length;

        public bool Dirty { get; set; }

        public void Encode(CustomerProfile profile) => _length = ProfileBinary.EncodeInto(profile, ref _buffer);

        public CustomerProfile Decode() => ProfileBinary.Decode(_buffer, _length);

        public ReadOnlySpan<byte> Encoded => _buffer.AsSpan(0, _length);
    }
}
