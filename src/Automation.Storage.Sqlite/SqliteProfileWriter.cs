using Automation.Profiles.Changes;
using Automation.Profiles.Model;
using Automation.Profiles.Serialization;
using Automation.Profiles.Storage;
using Microsoft.Data.Sqlite;

namespace Automation.Storage.Sqlite;

/// <summary>
/// A write session: one SQLite transaction from commit to commit, holding the write lock for its
/// whole life. Transaction lines go straight into the transaction; the profiles touched are kept as
/// objects and written back once, at the commit (or when the cache is full), which is what makes
/// exports that interleave thousands of customers fast.
/// </summary>
internal sealed class SqliteProfileWriter : IProfileWriter, IRecordedLines
{
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate;
    private readonly int _cacheSize;
    private readonly Dictionary<string, CachedProfile> _profiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _sourceIds = new(StringComparer.Ordinal);
    private readonly Dictionary<long, string> _contentIds = [];
    private SqliteTransaction _transaction;
    private SqliteCommand _loadProfile = null!;
    private SqliteCommand _saveProfile = null!;
    private RawStatement _linesOfOrder = null!;
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
            foreach (var command in new[] { _loadProfile, _saveProfile }) await command.DisposeAsync();
            _linesOfOrder.Dispose();
            _recordLine.Dispose();
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
        foreach (var change in changes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var cached = Get(change.CustomerId);
            switch (ChangeApplier.Apply(cached.Profile, change, this))
            {
                case ChangeOutcome.Applied:
                    applied++;
                    cached.Dirty = true;
                    break;
                case ChangeOutcome.Replayed:
                    applied++;
                    break;
                case ChangeOutcome.Duplicate:
                    duplicates++;
                    break;
            }
        }

        if (_profiles.Count > _cacheSize)
        {
            WriteBack();
            _profiles.Clear();
        }

        return new ApplyResult(applied, duplicates);
    }

    private void Commit()
    {
        WriteBack();
        var before = DataVersion();
        _transaction.Commit();
        _transaction.Dispose();
        _transaction = _connection.BeginTransaction(deferred: false);
        foreach (var command in new[] { _loadProfile, _saveProfile }) command.Transaction = _transaction;

        // Another process may have written between our commit and the new transaction: then what we
        // cached may be stale. (data_version only changes for commits of other connections.)
        if (DataVersion() != before) _profiles.Clear();
    }

    private CachedProfile Get(string customerId)
    {
        if (_profiles.TryGetValue(customerId, out var cached)) return cached;
        _loadProfile.Parameters[0].Value = customerId;
        using (var reader = _loadProfile.ExecuteReader())
        {
            cached = new CachedProfile(reader.Read() ? ProfileJson.Deserialize((byte[])reader[0]) : new CustomerProfile(customerId));
        }

        _profiles[customerId] = cached;
        return cached;
    }

    /// <summary>Writes dirty profiles in key order: neighbouring keys share B-tree pages, so this appends rather than scatters.</summary>
    private void WriteBack()
    {
        var dirty = _profiles.Values.Where(c => c.Dirty).Select(c => c.Profile).ToArray();
        Array.Sort(dirty, (a, b) => string.CompareOrdinal(a.CustomerId, b.CustomerId));
        foreach (var profile in dirty)
        {
            _saveProfile.Parameters[0].Value = profile.CustomerId;
            _saveProfile.Parameters[1].Value = ProfileJson.SerializeToUtf8(profile);
            _saveProfile.ExecuteNonQuery();
        }

        foreach (var cached in _profiles.Values) cached.Dirty = false;
    }

    public IReadOnlyList<RecordedLine> LinesOfOrder(string customerId, string transactionId)
    {
        var statement = _linesOfOrder.Bind(1, transactionId).Bind(2, customerId);
        try
        {
            if (!statement.Step()) return [];
            var lines = new List<RecordedLine>(1);
            do
            {
                var line = statement.Text(0)!;
                lines.Add(new RecordedLine(
                    line.Length == 0 ? null : line,
                    statement.Text(1),
                    new LineSource(ContentId(statement.Int64(2)), statement.Int64(3))));
            }
            while (statement.Step());
            return lines;
        }
        finally
        {
            statement.Reset();
        }
    }

    public void Record(TransactionLine line) =>
        _recordLine
            .Bind(1, line.TransactionId)
            .Bind(2, line.CustomerId)
            .Bind(3, line.Line ?? string.Empty)
            .Bind(4, line.Category)
            .Bind(5, SourceId(line.Source.FileId))
            .Bind(6, line.Source.Line)
            .Execute();

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
        _loadProfile = Prepare("SELECT document FROM profiles WHERE customer_id = $customer", "$customer");
        _saveProfile = Prepare(
            "INSERT INTO profiles (customer_id, document) VALUES ($customer, $document) " +
            "ON CONFLICT (customer_id) DO UPDATE SET document = excluded.document",
            "$customer", "$document");
        _linesOfOrder = new RawStatement(_connection,
            "SELECT line, category, source_id, source_line FROM transaction_lines WHERE transaction_id = ?1 AND customer_id = ?2");
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

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = Command(sql);
        foreach (var name in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        command.Prepare();
        return command;
    }

    private sealed class CachedProfile(CustomerProfile profile)
    {
        public CustomerProfile Profile { get; } = profile;
        public bool Dirty { get; set; }
    }
}
