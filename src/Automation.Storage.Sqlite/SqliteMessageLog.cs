using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Automation.Messages;
using Automation.Profiles.Identifiers;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Text;

namespace Automation.Storage.Sqlite;

/// <summary>The message log in the embedded store: one row per message id, keyed by customer first.</summary>
public sealed class SqliteMessageLog(SqliteDatabase database) : IMessageLog
{
    private const string DecisionColumns =
        "customer_id, message_id, trigger, occasion, cooldown_key, planned_for, send_at, status, reason_code, reason, data, detail, decided_at, updated_at";

    private const string Columns = DecisionColumns + ", events";

    /// <summary>Every customer's history in customer-id order (code point, SQLite's BINARY collation).</summary>
    internal async IAsyncEnumerable<CustomerHistory> ReadHistoriesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT customer_id, message_id, trigger, cooldown_key, planned_for, status, reason_code, send_at, events_seen FROM messages ORDER BY customer_id, message_id";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        string? customer = null;
        var entries = new List<MessageHistoryEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetString(0);
            if (customer is not null && id != customer)
            {
                yield return new CustomerHistory(customer, entries);
                entries = [];
            }

            customer = id;
            entries.Add(new MessageHistoryEntry(
                reader.GetIdentifier<MessageId>(1), reader.GetIdentifier<TriggerName>(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                ParseDate(reader.GetString(4)), MessageStatuses.Parse(reader.GetString(5)), reader.GetIdentifierOrNull<ReasonCode>(6),
                reader.IsDBNull(7) ? null : ParseInstant(reader.GetString(7)), (ReportedEvents)reader.GetInt32(8)));
        }

        if (customer is not null) yield return new CustomerHistory(customer, entries);
    }

    public async Task<IReadOnlyList<MessageRecord>> GetCustomerMessagesAsync(CustomerId customerId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        return await ReadCustomerMessagesAsync(connection, customerId, cancellationToken);
    }

    internal static async Task<IReadOnlyList<MessageRecord>> ReadCustomerMessagesAsync(SqliteConnection connection, CustomerId customerId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM messages WHERE customer_id = $customer ORDER BY decided_at, message_id";
        command.Parameters.AddIdentifier("$customer", customerId);
        return await ReadRecordsAsync(command, cancellationToken).ToListAsync(cancellationToken);
    }

    public Task<IReadOnlyList<bool>> RecordAsync(IReadOnlyList<MessageRecord> records, CancellationToken cancellationToken = default)
    {
        var written = new bool[records.Count];
        if (records.Count == 0) return Task.FromResult<IReadOnlyList<bool>>(written);
        using var connection = database.Open();
        using var transaction = connection.BeginTransaction();
        // A planning pass records thousands of decisions: a raw prepared statement, as for transaction lines.
        // Create-if-absent; only a suppressed decision may be replaced (say, by a message once the customer opted in).
        using var insert = new RawStatement(connection, $"""
            INSERT INTO messages ({DecisionColumns})
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)
            ON CONFLICT (customer_id, message_id) DO UPDATE SET
                trigger = excluded.trigger, occasion = excluded.occasion, cooldown_key = excluded.cooldown_key,
                planned_for = excluded.planned_for, send_at = excluded.send_at, status = excluded.status,
                reason_code = excluded.reason_code, reason = excluded.reason, data = excluded.data, detail = excluded.detail,
                decided_at = excluded.decided_at, updated_at = excluded.updated_at
            WHERE messages.status = 'suppressed'
            """);
        var data = new ArrayBufferWriter<byte>(256);
        for (var i = 0; i < records.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var r = records[i];
            insert.Bind(1, r.CustomerId).Bind(2, r.MessageId).Bind(3, r.Trigger).Bind(4, r.OccasionKey).Bind(5, r.CooldownKey)
                .Bind(6, LocalDatePattern.Iso.Format(r.PlannedFor)).Bind(7, r.SendAt is { } at ? FormatInstant(at) : null)
                .Bind(8, r.Status.Name()).Bind(9, r.ReasonCode).Bind(10, r.Reason).BindUtf8(11, WriteData(r.Data, data))
                .Bind(12, r.Detail).Bind(13, FormatInstant(r.DecidedAt))
                .Execute();
            written[i] = insert.Changes == 1;
        }

        transaction.Commit();
        return Task.FromResult<IReadOnlyList<bool>>(written);
    }

    private static ReadOnlySpan<byte> WriteData(IReadOnlyDictionary<string, string> values, ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in values) writer.WriteString(key, value);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan;
    }

    public async IAsyncEnumerable<MessageRecord> ReadUndeliveredAsync(LocalDate through, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM messages WHERE {SqliteDatabase.AwaitsDelivery} AND planned_for <= $through ORDER BY planned_for, customer_id, message_id";
        command.Parameters.AddWithValue("$through", LocalDatePattern.Iso.Format(through));
        await foreach (var record in ReadRecordsAsync(command, cancellationToken)) yield return record;
    }

    public async Task UpdateStatusAsync(
        MessageRecord message, MessageStatus status, ReasonCode? reasonCode, string? detail, Instant at, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE messages SET status = $status, reason_code = $reasonCode, detail = $detail, updated_at = $at
            WHERE customer_id = $customer AND message_id = $message
            """;
        command.Parameters.AddWithValue("$status", status.Name());
        command.Parameters.AddIdentifier("$reasonCode", reasonCode);
        command.Parameters.AddWithValue("$detail", (object?)detail ?? DBNull.Value);
        command.Parameters.AddWithValue("$at", FormatInstant(at));
        command.Parameters.AddIdentifier("$customer", message.CustomerId);
        command.Parameters.AddIdentifier("$message", message.MessageId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<MessageRecord?> GetAsync(CustomerId customerId, MessageId messageId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM messages WHERE customer_id = $customer AND message_id = $message";
        command.Parameters.AddIdentifier("$customer", customerId);
        command.Parameters.AddIdentifier("$message", messageId);
        return await ReadRecordsAsync(command, cancellationToken).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<MessageRecord?> FindAsync(MessageId messageId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM messages WHERE message_id = $message LIMIT 1";
        command.Parameters.AddIdentifier("$message", messageId);
        return await ReadRecordsAsync(command, cancellationToken).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task<MessageRecord?> ApplyEventAsync(MessageRecord message, MessageEvent reported, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        // IMMEDIATE takes the write lock before the read, so two reports for one message apply one after the other.
        await using var transaction = connection.BeginTransaction(deferred: false);
        await using var select = connection.CreateCommand();
        select.CommandText = $"SELECT {Columns} FROM messages WHERE customer_id = $customer AND message_id = $message";
        select.Parameters.AddIdentifier("$customer", message.CustomerId);
        select.Parameters.AddIdentifier("$message", message.MessageId);
        var current = await ReadRecordsAsync(select, cancellationToken).FirstOrDefaultAsync(cancellationToken);
        if (current is null || MessageFeedback.Apply(current, reported) is not { } updated) return null;

        await using var update = connection.CreateCommand();
        update.CommandText = "UPDATE messages SET status = $status, events = $events, events_seen = $seen WHERE customer_id = $customer AND message_id = $message";
        update.Parameters.AddWithValue("$status", updated.Status.Name());
        update.Parameters.AddWithValue("$events", MessageEventJson.Serialize(updated.Events));
        update.Parameters.AddWithValue("$seen", (int)ReportedEventFlags.Of(updated.Events));
        update.Parameters.AddIdentifier("$customer", message.CustomerId);
        update.Parameters.AddIdentifier("$message", message.MessageId);
        await update.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return updated;
    }

    private static async IAsyncEnumerable<MessageRecord> ReadRecordsAsync(SqliteCommand command, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            string? Text(int column) => reader.IsDBNull(column) ? null : reader.GetString(column);
            yield return new MessageRecord(
                reader.GetIdentifier<MessageId>(1), reader.GetIdentifier<CustomerId>(0), reader.GetIdentifier<TriggerName>(2), reader.GetString(3), Text(4),
                ParseDate(reader.GetString(5)), Text(6) is { } sendAt ? ParseInstant(sendAt) : null, MessageStatuses.Parse(reader.GetString(7)),
                reader.GetIdentifierOrNull<ReasonCode>(8), reader.GetString(9),
                JsonSerializer.Deserialize<SortedDictionary<string, string>>(reader.GetString(10)) ?? [], ParseInstant(reader.GetString(12)))
            {
                Detail = Text(11),
                UpdatedAt = ParseInstant(reader.GetString(13)),
                Events = MessageEventJson.Deserialize(Text(14)),
            };
        }
    }

    private static string FormatInstant(Instant instant) => InstantPattern.ExtendedIso.Format(instant);
    private static Instant ParseInstant(string text) => InstantPattern.ExtendedIso.Parse(text).GetValueOrThrow();
    private static LocalDate ParseDate(string text) => LocalDatePattern.Iso.Parse(text).GetValueOrThrow();
}

internal sealed record CustomerHistory(string CustomerId, IReadOnlyList<MessageHistoryEntry> Entries);
