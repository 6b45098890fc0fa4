using Automation.Profiles.Changes;
using Automation.Profiles.Model;
using Automation.Profiles.Serialization;
using Automation.Profiles.Storage;
using Microsoft.Data.Sqlite;

namespace Automation.Storage.Sqlite;

/// <summary>
/// A write session: one SQLite transaction from commit to commit, holding the write lock for its
/// whole life. Transaction lines go straight into the transaction; the profiles touched are kept in
/// memory in their compact binary form and written back once, at the commit (or when the cache is
/// full), which is what makes exports that interleave thousands of customers fast.
/// </summary>
internal sealed class SqliteProfileWriter : IProfileWriter, IRecordedLines
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate;
    private readonly int _cacheSize;
    private readonly Dictionary<string, CachedProfile> _profiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _sourceIds = new(StringComparer.Ordinal);
    private readonly Dictionary<long, string> _contentIds = [];
    private readonly Dictionary<string, List<ProfileChange>> _groups = new(StringComparer.Ordinal);
    private readonly Stack<List<ProfileChange>> _spareLists = new();
    private SqliteTransaction _transaction;
    private RawStatement _loadProfile = null!;
    private RawStatement _saveProfile = null!;
    private RawStatement _linesOfOrder = null!;
    private RawStatement _sourceOfLine = null!;
    private RawStatement _recordLine = null!;
    private bool _disposed;

    public SqliteProfileWriter(SqliteDatabase database, int cacheSize, SemaphoreSlim gate)
    {
        _gate = gate;
        _cacheSize = cacheSize;
        _connection = database.Open();
        _transaction = _connection.BeginTransaction(deferred: false);
        PrepareCommands();
    }

    public Task<ApplyResult> ApplyAsync(IReadOnlyList<ProfileChange> changes, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Task.Run(() => Apply(changes, cancellationToken), cancellationToken);
    }

    public Task CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Task.Run(Commit, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            // Whatever was not committed is discarded: the store stays as of the last commit.
            await _transaction.DisposeAsync();
            foreach (var statement in new[] { _loadProfile, _saveProfile, _linesOfOrder, _sourceOfLine, _recordLine }) statement.Dispose();
            await _connection.DisposeAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    private ApplyResult Apply(IReadOnlyList<ProfileChange> changes, CancellationToken cancellationToken)
    {
        var applied = 0;
        var duplicates = 0;
        foreach (var (customerId, customerChanges) in GroupByCustomer(changes))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var cached = _profiles.GetValueOrDefault(customerId);
            var profile = cached is null ? Load(customerId) : cached.Decode();
            var changed = false;
            foreach (var change in customerChanges)
            {
                switch (ChangeApplier.Apply(profile, change, this))
                {
                    case ChangeOutcome.Applied:
                        applied++;
                        changed = true;
                        break;
                    case ChangeOutcome.Replayed:
                        applied++;
                        break;
                    case ChangeOutcome.Duplicate:
                        duplicates++;
                        break;
                }
            }

            if (cached is null)
            {
                cached = new CachedProfile();
                cached.Encode(profile);
                cached.Dirty = changed;
                _profiles[customerId] = cached;
            }
            else if (changed)
            {
                cached.Encode(profile);
                cached.Dirty = true;
            }
        }

        if (_profiles.Count > _cacheSize)
        {
            WriteBack();
            _profiles.Clear();
        }

        return new ApplyResult(applied, duplicates);
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

    private void Commit()
    {
        WriteBack();
        var before = DataVersion();
        _transaction.Commit();
        _transaction.Dispose();
        _transaction = _connection.BeginTransaction(deferred: false);

        // Another process may have written between our commit and the new transaction: then what we
        // cached may be stale. (data_version only changes for commits of other connections.)
        if (DataVersion() != before) _profiles.Clear();
    }

    private CustomerProfile Load(string customerId)
    {
        var statement = _loadProfile.Bind(1, customerId);
        try
        {
            return statement.Step() ? ProfileJson.Deserialize(statement.Blob(0)) : new CustomerProfile(customerId);
        }
        finally
        {
            statement.Reset();
        }
    }

    /// <summary>
    /// Writes dirty profiles in key order (neighbouring keys share B-tree pages, so this appends rather
    /// than scatters). Turning them into JSON is pure CPU work and is spread over the cores, a chunk at
    /// a time so memory stays bounded; the writes themselves go in order through the one connection.
    /// </summary>
    private void WriteBack()
    {
        var dirty = _profiles.Where(p => p.Value.Dirty).Select(p => (Id: p.Key, Cached: p.Value)).ToArray();
        Array.Sort(dirty, (a, b) => string.CompareOrdinal(a.Id, b.Id));
        const int Chunk = 4096;
        var documents = new byte[Math.Min(Chunk, dirty.Length)][];
        for (var start = 0; start < dirty.Length; start += Chunk)
        {
            var count = Math.Min(Chunk, dirty.Length - start);
            Parallel.For(0, count, i => documents[i] = ProfileJson.SerializeToUtf8(dirty[start + i].Cached.Decode()));
            for (var i = 0; i < count; i++) _saveProfile.Bind(1, dirty[start + i].Id).Bind(2, documents[i]).Execute();
        }

        foreach (var cached in _profiles.Values) cached.Dirty = false;
    }

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
            .Execute();
        return new TransactionNovelty(IsNewOrder: !otherLines, IsNewCategoryInOrder: line.Category is not null && !otherLinesOfCategory);
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
        _loadProfile = new RawStatement(_connection, "SELECT document FROM profiles WHERE customer_id = ?1");
        _saveProfile = new RawStatement(_connection,
            "INSERT INTO profiles (customer_id, document) VALUES (?1, ?2) ON CONFLICT (customer_id) DO UPDATE SET document = excluded.document");
        _sourceOfLine = new RawStatement(_connection,
            "SELECT source_id, source_line FROM transaction_lines WHERE transaction_id = ?1 AND customer_id = ?2 AND line = ?3");
        // Two plain statements beat one INSERT ... RETURNING with subqueries (measured).
        _linesOfOrder = new RawStatement(_connection,
            "SELECT line, category FROM transaction_lines WHERE transaction_id = ?1 AND customer_id = ?2");
        _recordLine = new RawStatement(_connection,
            "INSERT INTO transaction_lines (transaction_id, customer_id, line, category, source_id, source_line) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    }

    private SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>A profile in the session's cache, in its compact binary form, re-encoded in place.</summary>
    private sealed class CachedProfile
    {
        private byte[] _buffer = [];
        private int _length;

        public bool Dirty { get; set; }

        public void Encode(CustomerProfile profile) => _length = ProfileBinary.EncodeInto(profile, ref _buffer);

        public CustomerProfile Decode() => ProfileBinary.Decode(_buffer, _length);
    }
}
