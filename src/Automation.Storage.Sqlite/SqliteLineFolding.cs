using Automation.Profiles.Storage;
using NodaTime;

namespace Automation.Storage.Sqlite;

/// <summary>Folding in the embedded store: two statements in one transaction, queued with the writers; nothing is read into memory.</summary>
public sealed class SqliteLineFolding(SqliteDatabase database) : ILineFolding
{
    public async Task<long> FoldAsync(Instant before, CancellationToken cancellationToken = default)
    {
        await database.Writers.WaitAsync(cancellationToken);
        try
        {
            await using var connection = database.Open();
            await using var transaction = connection.BeginTransaction(deferred: false);
            await using var mark = connection.CreateCommand();
            mark.Transaction = transaction;
            // The fold point only moves forward: a pass with a shorter retention never reopens folded time.
            mark.CommandText = """
                INSERT INTO folded_lines (customer_id, before)
                SELECT DISTINCT customer_id, $before FROM transaction_lines WHERE occurred_at < $before
                ON CONFLICT (customer_id) DO UPDATE SET before = max(before, excluded.before);
                """;
            mark.Parameters.AddWithValue("$before", before.ToUnixTimeSeconds());
            await mark.ExecuteNonQueryAsync(cancellationToken);
            await using var fold = connection.CreateCommand();
            fold.Transaction = transaction;
            fold.CommandText = "DELETE FROM transaction_lines WHERE occurred_at < $before";
            fold.Parameters.AddWithValue("$before", before.ToUnixTimeSeconds());
            var folded = await fold.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return folded;
        }
        finally
        {
            database.Writers.Release();
        }
    }
}
