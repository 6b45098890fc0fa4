using Automation.Ingestion;
using Automation.Ingestion.Formats;
using NodaTime;
using NodaTime.Text;

namespace Automation.Storage.Sqlite;

public sealed class SqliteIngestionLedger(SqliteDatabase database) : IIngestionLedger
{
    public async Task<IngestedFile?> FindAsync(string contentId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT name, kind, rows_read, accepted, rejected, warnings, duplicates, completed_at FROM ingested_files WHERE content_id = $id";
        command.Parameters.AddWithValue("$id", contentId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new IngestedFile(contentId, reader.GetString(0), Enum.Parse<ExportKind>(reader.GetString(1)),
            reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6),
            InstantPattern.ExtendedIso.Parse(reader.GetString(7)).GetValueOrThrow());
    }

    public async Task<bool> TryClaimAsync(string contentId, string claimant, Instant now, Instant until, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText =
            "INSERT INTO ingestion_claims (content_id, claimant, until_ms) VALUES ($id, $who, $until) " +
            "ON CONFLICT (content_id) DO UPDATE SET claimant = excluded.claimant, until_ms = excluded.until_ms " +
            "WHERE ingestion_claims.claimant = excluded.claimant OR ingestion_claims.until_ms < $now; " +
            "SELECT claimant = $who FROM ingestion_claims WHERE content_id = $id;";
        command.Parameters.AddWithValue("$id", contentId);
        command.Parameters.AddWithValue("$who", claimant);
        command.Parameters.AddWithValue("$until", until.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    public async Task ReleaseAsync(string contentId, string claimant, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM ingestion_claims WHERE content_id = $id AND claimant = $who";
        command.Parameters.AddWithValue("$id", contentId);
        command.Parameters.AddWithValue("$who", claimant);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RecordAsync(IngestedFile file, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO ingested_files (content_id, name, kind, rows_read, accepted, rejected, warnings, duplicates, completed_at)
            VALUES ($id, $name, $kind, $rows, $accepted, $rejected, $warnings, $duplicates, $at)
            ON CONFLICT (content_id) DO NOTHING
            """;
        command.Parameters.AddWithValue("$id", file.ContentId);
        command.Parameters.AddWithValue("$name", file.Name);
        command.Parameters.AddWithValue("$kind", file.Kind.ToString());
        command.Parameters.AddWithValue("$rows", file.RowsRead);
        command.Parameters.AddWithValue("$accepted", file.Accepted);
        command.Parameters.AddWithValue("$rejected", file.Rejected);
        command.Parameters.AddWithValue("$warnings", file.Warnings);
        command.Parameters.AddWithValue("$duplicates", file.Duplicates);
        command.Parameters.AddWithValue("$at", InstantPattern.ExtendedIso.Format(file.CompletedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
