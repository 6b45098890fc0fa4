using Automation.Profiles.Storage;
using NodaTime.Text;

namespace Automation.Storage.Sqlite;

public sealed class SqliteConsentsGate(SqliteDatabase database) : IConsentsGate
{
    public async Task<IReadOnlyList<IncompleteConsentsExport>> IncompleteAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, content_id, reason, since FROM incomplete_consents ORDER BY name";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var incomplete = new List<IncompleteConsentsExport>();
        while (await reader.ReadAsync(cancellationToken))
        {
            incomplete.Add(new IncompleteConsentsExport(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                InstantPattern.ExtendedIso.Parse(reader.GetString(3)).GetValueOrThrow()));
        }

        return incomplete;
    }

    public async Task MarkIncompleteAsync(IncompleteConsentsExport export, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO incomplete_consents (name, content_id, reason, since) VALUES ($name, $id, $reason, $since)
            ON CONFLICT (name) DO UPDATE SET content_id = excluded.content_id, reason = excluded.reason, since = excluded.since
            """;
        command.Parameters.AddWithValue("$name", export.Name);
        command.Parameters.AddWithValue("$id", export.ContentId);
        command.Parameters.AddWithValue("$reason", export.Reason);
        command.Parameters.AddWithValue("$since", InstantPattern.ExtendedIso.Format(export.Since));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task MarkCompleteAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM incomplete_consents WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
