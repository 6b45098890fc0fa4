using Automation.Messages;
using Automation.Profiles.Erasure;
using Automation.Profiles.Identifiers;
using Automation.Profiles.Mailboxes;
using Automation.Profiles.Serialization;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Text;

namespace Automation.Storage.Sqlite;

/// <summary>
/// Erasure in the embedded store: one transaction per batch, queued with the profile writers. The
/// tombstones' salt is made on the first erasure and kept in <c>store_secrets</c>.
/// </summary>
public sealed class SqliteErasureStore(SqliteDatabase database) : IErasureStore
{
    internal const string SaltName = "erasure-salt";

    public async Task<IReadOnlyList<StoreErasure>> EraseAsync(IReadOnlyList<CustomerId> customers, Instant at, CancellationToken cancellationToken = default)
    {
        if (customers.Count == 0) return [];
        await database.Writers.WaitAsync(cancellationToken);
        try
        {
            await using var connection = database.Open();
            // Plain statements rather than a SqliteTransaction, which every command would have to carry.
            SqliteDatabase.Execute(connection, "BEGIN IMMEDIATE;");
            try
            {
                var erased = await EraseAsync(connection, customers, at, cancellationToken);
                SqliteDatabase.Execute(connection, "COMMIT;");
                return erased;
            }
            catch
            {
                SqliteDatabase.Execute(connection, "ROLLBACK;");
                throw;
            }
        }
        finally
        {
            database.Writers.Release();
        }
    }

    private static async Task<IReadOnlyList<StoreErasure>> EraseAsync(SqliteConnection connection, IReadOnlyList<CustomerId> customers, Instant at, CancellationToken cancellationToken)
    {
        var salt = Salt(connection, create: true)!;
        var lines = RemoveLines(connection, customers);
        var erased = new List<StoreErasure>(customers.Count);
        foreach (var customer in customers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var tombstone = Tombstone.Of(customer, salt);
            var before = Execute(connection, "INSERT INTO erasures (tombstone, erased_at) VALUES ($tombstone, $at) ON CONFLICT DO NOTHING",
                ("$tombstone", tombstone.Value), ("$at", InstantPattern.ExtendedIso.Format(at))) == 0;
            var profile = RemoveProfile(connection, customer, tombstone);
            var messages = await ScrubMessagesAsync(connection, customer, tombstone, cancellationToken);
            Execute(connection, "DELETE FROM mailbox_days WHERE customer_id = $customer", ("$customer", customer.Value));
            // A customer named twice in one batch: the second time finds the first one's work done.
            erased.Add(new StoreErasure(before, profile, lines.Remove(customer.Value, out var count) ? count : 0, messages));
        }

        return erased;
    }

    public async Task<bool> IsErasedAsync(CustomerId customerId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        return IsErased(connection, customerId);
    }

    private static bool IsErased(SqliteConnection connection, CustomerId customerId) =>
        Salt(connection, create: false) is { } salt && Scalar(connection, "SELECT 1 FROM erasures WHERE tombstone = $tombstone", ("$tombstone", Tombstone.Of(customerId, salt).Value)) is not null;

    /// <summary>
    /// VACUUM rewrites the file from its live rows only (with secure-delete, freed pages would still hold
    /// what earlier updates left), then the write-ahead log, which holds the old pages until a checkpoint,
    /// is checkpointed and truncated to nothing.
    /// </summary>
    public async Task PurgeAsync(CancellationToken cancellationToken = default)
    {
        await database.Writers.WaitAsync(cancellationToken);
        try
        {
            await Task.Run(() =>
            {
                using var connection = database.Open();
                SqliteDatabase.Execute(connection, "VACUUM;");
                using var checkpoint = connection.CreateCommand();
                checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
                using var reader = checkpoint.ExecuteReader();
                // busy = 1: a reader held an old snapshot, so the log could not be emptied; the next purge does.
                if (reader.Read() && reader.GetInt32(0) != 0)
                {
                    throw new IOException($"The database {database.Path} is in use: its write-ahead log still holds erased data. Run the erasure again when no other run reads the store.");
                }
            }, cancellationToken);
        }
        finally
        {
            database.Writers.Release();
        }
    }

    private static byte[]? Salt(SqliteConnection connection, bool create)
    {
        if (create)
        {
            Execute(connection, "INSERT INTO store_secrets (name, value) VALUES ($name, $value) ON CONFLICT DO NOTHING",
                ("$name", SaltName), ("$value", Tombstone.NewSalt()));
        }

        return Scalar(connection, "SELECT value FROM store_secrets WHERE name = $name", ("$name", SaltName)) as byte[];
    }

    /// <summary>The batch's transaction lines, counted per customer and deleted: one scan of the table for the batch.</summary>
    private static Dictionary<string, int> RemoveLines(SqliteConnection connection, IReadOnlyList<CustomerId> customers)
    {
        SqliteDatabase.Execute(connection, "CREATE TEMP TABLE IF NOT EXISTS erasing (customer_id TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID; DELETE FROM temp.erasing;");
        foreach (var customer in customers.Distinct())
        {
            Execute(connection, "INSERT INTO temp.erasing (customer_id) VALUES ($customer)", ("$customer", customer.Value));
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        using (var count = connection.CreateCommand())
        {
            count.CommandText = "SELECT customer_id, COUNT(*) FROM transaction_lines WHERE customer_id IN (SELECT customer_id FROM temp.erasing) GROUP BY customer_id";
            using var reader = count.ExecuteReader();
            while (reader.Read()) counts[reader.GetString(0)] = reader.GetInt32(1);
        }

        if (counts.Count > 0) SqliteDatabase.Execute(connection, "DELETE FROM transaction_lines WHERE customer_id IN (SELECT customer_id FROM temp.erasing)");
        SqliteDatabase.Execute(connection, "DELETE FROM folded_lines WHERE customer_id IN (SELECT customer_id FROM temp.erasing)");
        SqliteDatabase.Execute(connection, "DELETE FROM temp.erasing;");
        return counts;
    }

    /// <summary>Deletes the profile, and takes the customer out of the mailbox of its address.</summary>
    private static bool RemoveProfile(SqliteConnection connection, CustomerId customer, Tombstone tombstone)
    {
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT compact, document FROM profiles WHERE customer_id = $customer";
        read.Parameters.AddIdentifier("$customer", customer);
        string? email;
        using (var reader = read.ExecuteReader())
        {
            if (!reader.Read()) return false;
            var compact = reader.IsDBNull(0) ? null : (byte[])reader[0];
            email = (compact is not null && ProfileBinary.IsCurrentFormat(compact) ? ProfileBinary.Decode(compact) : ProfileJson.Deserialize((byte[])reader[1])).Email;
        }

        if (MailboxKeys.Of(email) is { } key && Scalar(connection, "SELECT document FROM mailboxes WHERE mailbox_key = $key", ("$key", key)) is string json)
        {
            var mailbox = MailboxRules.Forget(ProfileJson.DeserializeMailbox(json), customer.Value, tombstone);
            Execute(connection, "UPDATE mailboxes SET holders = $holders, document = $document WHERE mailbox_key = $key",
                ("$key", key), ("$holders", mailbox.Holders.Count), ("$document", ProfileJson.Serialize(mailbox)));
        }

        Execute(connection, "DELETE FROM profiles WHERE customer_id = $customer", ("$customer", customer.Value));
        return true;
    }

    /// <summary>Moves the customer's messages under the tombstone, without their personal data (<see cref="MessageErasure"/>).</summary>
    private static async Task<int> ScrubMessagesAsync(SqliteConnection connection, CustomerId customer, Tombstone tombstone, CancellationToken cancellationToken)
    {
        var log = await SqliteMessageLog.ReadCustomerMessagesAsync(connection, customer, cancellationToken);
        foreach (var message in log)
        {
            var scrubbed = MessageErasure.Scrub(message, tombstone);
            Execute(connection, """
                UPDATE messages SET customer_id = $tombstone, status = $status, reason_code = $reasonCode, reason = $reason,
                    data = '{}', detail = NULL, events = $events
                WHERE customer_id = $customer AND message_id = $message
                """,
                ("$tombstone", tombstone.Value), ("$status", scrubbed.Status.Name()), ("$reasonCode", scrubbed.ReasonCode?.Value),
                ("$reason", scrubbed.Reason), ("$events", MessageEventJson.Serialize(scrubbed.Events)),
                ("$customer", customer.Value), ("$message", message.MessageId.Value));
        }

        return log.Count;
    }

    private static int Execute(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        return command.ExecuteScalar();
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}
