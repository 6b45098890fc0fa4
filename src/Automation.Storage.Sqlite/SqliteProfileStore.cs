using System.Runtime.CompilerServices;
using Automation.Profiles.Model;
using Automation.Profiles.Serialization;
using Automation.Profiles.Storage;

namespace Automation.Storage.Sqlite;

/// <summary>Profiles and transaction-line identities in one SQLite file.</summary>
/// <param name="hooks">What follows each commit of a write session (the forecast areas in use, with AddAutomationContext).</param>
public sealed class SqliteProfileStore(SqliteDatabase database, SqliteStoreSettings settings, IEnumerable<IProfileCommitHook>? hooks = null) : ICustomerProfileStore, ICustomerLines
{

    public async Task<CustomerProfile?> GetAsync(string customerId, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT compact, document FROM profiles WHERE customer_id = $id";
        command.Parameters.AddWithValue("$id", customerId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Decode(reader) : null;
    }

    public async IAsyncEnumerable<CustomerProfile> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT compact, document FROM profiles ORDER BY customer_id";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return Decode(reader);
        }
    }

    /// <summary>The compact copy when it is in this version's format, else the JSON document.</summary>
    private static CustomerProfile Decode(Microsoft.Data.Sqlite.SqliteDataReader reader)
    {
        if (!reader.IsDBNull(0) && (byte[])reader[0] is var compact && ProfileBinary.IsCurrentFormat(compact)) return ProfileBinary.Decode(compact);
        return ProfileJson.Deserialize((byte[])reader[1]);
    }

    /// <remarks>The lines are keyed by transaction id first (ingestion appends): one customer's are found by a scan, which an access request can afford.</remarks>
    public async IAsyncEnumerable<StoredLine> ReadLinesAsync(string customerId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT l.transaction_id, l.line, l.category, s.content_id, l.source_line
            FROM transaction_lines l JOIN sources s ON s.source_id = l.source_id
            WHERE l.customer_id = $id ORDER BY l.transaction_id, l.line
            """;
        command.Parameters.AddWithValue("$id", customerId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var line = reader.GetString(1);
            yield return new StoredLine(reader.GetString(0), line.Length == 0 ? null : line, reader.IsDBNull(2) ? null : reader.GetString(2),
                new Profiles.Changes.LineSource(reader.GetString(3), reader.GetInt64(4)));
        }
    }

    public async Task<IProfileWriter> OpenWriterAsync(CancellationToken cancellationToken = default)
    {
        await database.Writers.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(() => new SqliteProfileWriter(database, settings.ProfileCacheSize, database.Writers, [.. (hooks ?? []).Select(hook => hook.Start())]), cancellationToken);
        }
        catch
        {
            database.Writers.Release();
            throw;
        }
    }
}
