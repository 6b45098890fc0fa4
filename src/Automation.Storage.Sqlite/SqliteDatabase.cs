using Microsoft.Data.Sqlite;

namespace Automation.Storage.Sqlite;

/// <summary>
/// The database file: opens connections with the pragmas every connection needs and creates the schema
/// on first use (<see cref="SqliteSchema"/>: numbered migrations). WAL makes every batch atomic; synchronous=NORMAL keeps it consistent through any
/// crash and durable through a process crash. A power cut may lose the last batches, which a re-run
/// replays idempotently, so the stronger and much slower FULL mode buys nothing here.
/// </summary>
public sealed class SqliteDatabase
{
    /// <summary>
    /// <see cref="Automation.Messages.MessageStatuses.AwaitsDelivery"/> in SQL: the partial index and the
    /// delivery query use the same text, which is what lets SQLite use the index.
    /// </summary>
    internal const string AwaitsDelivery = "status IN ('planned', 'failed', 'sending')";
    private readonly string _connectionString;
    private readonly Lock _creatingSchema = new();
    private volatile bool _schemaReady;

    public SqliteDatabase(SqliteStoreSettings settings)
    {
        var path = settings.DatabasePath;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        Path = path;
    }

    public string Path { get; }

    /// <summary>
    /// SQLite allows one writer at a time: profile write sessions and erasures queue here, in-process,
    /// instead of busy-waiting on the file's lock.
    /// </summary>
    internal SemaphoreSlim Writers { get; } = new(1, 1);

    /// <summary>
    /// A connection, after the schema is in place. The schema is created on first use until that
    /// succeeds once: a failure (the disk not yet mounted, the file locked) is not remembered, so the
    /// next call of a long-lived process tries again.
    /// </summary>
    public SqliteConnection Open()
    {
        if (!_schemaReady)
        {
            lock (_creatingSchema)
            {
                if (!_schemaReady) CreateSchema();
                _schemaReady = true;
            }
        }

        return OpenRaw();
    }

    private SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // 16 KB pages keep a profile row (JSON document and compact copy, 1–3 KB) inside its B-tree page:
        // with 4 KB pages each one spilled into an overflow page of its own, nearly tripling the file.
        // It only takes effect when the file is created, so it comes before WAL mode.
        Execute(connection, "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY;");
        return connection;
    }

    private void CreateSchema()
    {
        using var connection = OpenRaw();
        SqliteSchema.Migrate(connection, Path);
    }

    internal static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
