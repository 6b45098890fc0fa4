using System.Runtime.CompilerServices;
using Automation.Profiles.Changes;
using Automation.Profiles.Model;
using Automation.Profiles.Serialization;
using Automation.Profiles.Storage;
using Microsoft.Data.Sqlite;

namespace Automation.Storage.Sqlite;

/// <summary>
/// Profiles and transaction-line identities in one SQLite file. A batch is one SQLite transaction:
/// every profile it touches and every line it records commit together or not at all.
/// </summary>
public sealed class SqliteProfileStore(SqliteDatabase database) : ICustomerProfileStore, IDisposable
{
    // SQLite allows one writer at a time; serialising writers in-process avoids busy waits between them.
    private readonly SemaphoreSlim _writer = new(1, 1);

    public async Task<CustomerProfile?> GetAsync(string customerId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT document FROM profiles WHERE customer_id = $id";
        command.Parameters.AddWithValue("$id", customerId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ProfileJson.Deserialize((byte[])reader[0]) : null;
    }

    public async IAsyncEnumerable<CustomerProfile> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT document FROM profiles ORDER BY customer_id";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ProfileJson.Deserialize((byte[])reader[0]);
        }
    }

    public async Task<ApplyResult> ApplyAsync(IReadOnlyList<ProfileChange> changes, CancellationToken cancellationToken = default)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(() => Apply(changes, cancellationToken), cancellationToken);
        }
        finally
        {
            _writer.Release();
        }
    }

    private ApplyResult Apply(IReadOnlyList<ProfileChange> changes, CancellationToken cancellationToken)
    {
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var batch = new BatchCommands(connection, transaction);

        var applied = 0;
        var duplicates = 0;
        foreach (var (customerId, customerChanges) in GroupByCustomer(changes))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var profile = batch.LoadProfile(customerId) ?? new CustomerProfile(customerId);
            var changed = false;
            foreach (var change in customerChanges)
            {
                switch (ChangeApplier.Apply(profile, change, batch))
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

            if (changed) batch.SaveProfile(profile);
        }

        transaction.Commit();
        return new ApplyResult(applied, duplicates);
    }

    /// <summary>Groups changes by customer, keeping file order within each customer and first-seen order across them.</summary>
    private static Dictionary<string, List<ProfileChange>> GroupByCustomer(IReadOnlyList<ProfileChange> changes)
    {
        var groups = new Dictionary<string, List<ProfileChange>>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            if (!groups.TryGetValue(change.CustomerId, out var list))
            {
                list = new List<ProfileChange>(2);
                groups[change.CustomerId] = list;
            }

            list.Add(change);
        }

        return groups;
    }

    public void Dispose() => _writer.Dispose();

    /// <summary>Prepared statements of one batch, reused for every row.</summary>
    private sealed class BatchCommands : IRecordedLines, IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteTransaction _transaction;
        private readonly SqliteCommand _loadProfile;
        private readonly SqliteCommand _saveProfile;
        private readonly SqliteCommand _linesOfOrder;
        private readonly SqliteCommand _recordLine;
        private readonly Dictionary<string, long> _sourceIds = new(StringComparer.Ordinal);

        public BatchCommands(SqliteConnection connection, SqliteTransaction transaction)
        {
            _connection = connection;
            _transaction = transaction;
            _loadProfile = Prepare("SELECT document FROM profiles WHERE customer_id = $customer", "$customer");
            _saveProfile = Prepare(
                "INSERT INTO profiles (customer_id, document) VALUES ($customer, $document) " +
                "ON CONFLICT (customer_id) DO UPDATE SET document = excluded.document",
                "$customer", "$document");
            _linesOfOrder = Prepare(
                "SELECT line, category, content_id, source_line FROM transaction_lines JOIN sources USING (source_id) " +
                "WHERE customer_id = $customer AND transaction_id = $transaction",
                "$customer", "$transaction");
            _recordLine = Prepare(
                "INSERT INTO transaction_lines (customer_id, transaction_id, line, category, source_id, source_line) " +
                "VALUES ($customer, $transaction, $line, $category, $source, $sourceLine)",
                "$customer", "$transaction", "$line", "$category", "$source", "$sourceLine");
        }

        public CustomerProfile? LoadProfile(string customerId)
        {
            _loadProfile.Parameters[0].Value = customerId;
            using var reader = _loadProfile.ExecuteReader();
            return reader.Read() ? ProfileJson.Deserialize((byte[])reader[0]) : null;
        }

        public void SaveProfile(CustomerProfile profile)
        {
            _saveProfile.Parameters[0].Value = profile.CustomerId;
            _saveProfile.Parameters[1].Value = ProfileJson.SerializeToUtf8(profile);
            _saveProfile.ExecuteNonQuery();
        }

        public IReadOnlyList<RecordedLine> LinesOfOrder(string customerId, string transactionId)
        {
            _linesOfOrder.Parameters[0].Value = customerId;
            _linesOfOrder.Parameters[1].Value = transactionId;
            using var reader = _linesOfOrder.ExecuteReader();
            if (!reader.Read()) return [];
            var lines = new List<RecordedLine>(1);
            do
            {
                var line = reader.GetString(0);
                lines.Add(new RecordedLine(
                    line.Length == 0 ? null : line,
                    reader.IsDBNull(1) ? null : reader.GetString(1),
                    new LineSource(reader.GetString(2), reader.GetInt64(3))));
            }
            while (reader.Read());
            return lines;
        }

        public void Record(TransactionLine line)
        {
            _recordLine.Parameters[0].Value = line.CustomerId;
            _recordLine.Parameters[1].Value = line.TransactionId;
            _recordLine.Parameters[2].Value = line.Line ?? string.Empty;
            _recordLine.Parameters[3].Value = (object?)line.Category ?? DBNull.Value;
            _recordLine.Parameters[4].Value = SourceId(line.Source.FileId);
            _recordLine.Parameters[5].Value = line.Source.Line;
            _recordLine.ExecuteNonQuery();
        }

        private long SourceId(string contentId)
        {
            if (_sourceIds.TryGetValue(contentId, out var id)) return id;
            using var command = _connection.CreateCommand();
            command.Transaction = _transaction;
            command.CommandText =
                "INSERT INTO sources (content_id) VALUES ($content) ON CONFLICT (content_id) DO NOTHING; " +
                "SELECT source_id FROM sources WHERE content_id = $content;";
            command.Parameters.AddWithValue("$content", contentId);
            id = (long)command.ExecuteScalar()!;
            _sourceIds[contentId] = id;
            return id;
        }

        private SqliteCommand Prepare(string sql, params string[] parameters)
        {
            var command = _connection.CreateCommand();
            command.Transaction = _transaction;
            command.CommandText = sql;
            foreach (var name in parameters) command.Parameters.Add(new SqliteParameter { ParameterName = name });
            command.Prepare();
            return command;
        }

        public void Dispose()
        {
            _loadProfile.Dispose();
            _saveProfile.Dispose();
            _linesOfOrder.Dispose();
            _recordLine.Dispose();
        }
    }
}
