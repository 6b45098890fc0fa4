using Automation.Profiles.Mailboxes;
using Automation.Profiles.Serialization;
using Microsoft.Data.Sqlite;

namespace Automation.Storage.Sqlite;

/// <summary>
/// The database file: opens connections with the pragmas every connection needs and creates the schema
/// on first use. WAL makes every batch atomic; synchronous=NORMAL keeps it consistent through any
/// crash and durable through a process crash. A power cut may lose the last batches, which a re-run
/// replays idempotently, so the stronger and much slower FULL mode buys nothing here.
/// </summary>
public sealed class SqliteDatabase
{
    // 1: profiles, transaction lines, sources, ingested files. 2: the message log, and profiles.compact.
    // 3: messages.events (provider reports), the index by message id, sending in the undelivered index.
    // 4: forecast_areas (the areas in use, kept by the profile writer) and pollen_forecasts (the day's answers).
    // 5: incomplete_consents. 6: planned_days. 7: mailboxes and mailbox_days; an older file's mailboxes are
    // filled from its profiles when it is upgraded. 8: planned_ranges. 9: ingestion_claims.
    private const int SchemaVersion = 9;

    /// <summary>
    /// <see cref="Automation.Planning.Messages.MessageStatuses.AwaitsDelivery"/> in SQL: the partial index and the
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
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        var version = Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            throw new InvalidOperationException(
                $"The database {Path} was written by a newer version of Automation (schema {version}); upgrade this program.");
        }

        if (version == SchemaVersion) return;
        Execute(connection, $"""
            BEGIN IMMEDIATE;
            {(version == 1 ? "ALTER TABLE profiles ADD COLUMN compact BLOB;" : "")}
            {(version == 2 ? "ALTER TABLE messages ADD COLUMN events TEXT; DROP INDEX IF EXISTS messages_undelivered;" : "")}
            -- document is the profile's JSON, the document of record; compact is the same profile in
            -- ProfileBinary form, a read cache that spares parsing JSON when every profile is read. It
            -- comes first so reading it never walks the document's overflow pages.
            CREATE TABLE IF NOT EXISTS profiles (
                customer_id TEXT NOT NULL PRIMARY KEY,
                compact     BLOB,
                document    BLOB NOT NULL
            ) WITHOUT ROWID;
            -- One row per transaction line ever applied, in the customer's partition: the identity that
            -- makes re-ingestion harmless. line is '' for exports without line numbers.
            -- Keyed by transaction id first: exports number orders in time order, so inserts append
            -- instead of splitting pages all over the tree. Every lookup still names the customer.
            CREATE TABLE IF NOT EXISTS transaction_lines (
                transaction_id TEXT NOT NULL,
                customer_id    TEXT NOT NULL,
                line           TEXT NOT NULL,
                category       TEXT,
                source_id      INTEGER NOT NULL,
                source_line    INTEGER NOT NULL,
                PRIMARY KEY (transaction_id, customer_id, line)
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS sources (
                source_id  INTEGER PRIMARY KEY,
                content_id TEXT NOT NULL UNIQUE
            );
            CREATE TABLE IF NOT EXISTS ingested_files (
                content_id   TEXT NOT NULL PRIMARY KEY,
                name         TEXT NOT NULL,
                kind         TEXT NOT NULL,
                rows_read    INTEGER NOT NULL,
                accepted     INTEGER NOT NULL,
                rejected     INTEGER NOT NULL,
                warnings     INTEGER NOT NULL,
                duplicates   INTEGER NOT NULL,
                completed_at TEXT NOT NULL
            );
            -- Consents exports that arrived and are not completely ingested: while any is here, nothing is
            -- planned or delivered.
            CREATE TABLE IF NOT EXISTS incomplete_consents (
                name       TEXT NOT NULL PRIMARY KEY,
                content_id TEXT NOT NULL,
                reason     TEXT NOT NULL,
                since      TEXT NOT NULL
            );
            -- The days whose plan completed: a missed day is planned late, once, instead of lost.
            CREATE TABLE IF NOT EXISTS planned_days (
                day        TEXT NOT NULL PRIMARY KEY,
                planned_at TEXT NOT NULL
            );
            -- Ingestions under way, per content: a second run of the same export waits for the first
            -- instead of doing the work twice. A claim lapses at until_ms (Unix milliseconds) unless renewed.
            CREATE TABLE IF NOT EXISTS ingestion_claims (
                content_id TEXT NOT NULL PRIMARY KEY,
                claimant   TEXT NOT NULL,
                until_ms   INTEGER NOT NULL
            ) WITHOUT ROWID;
            -- The ranges of a day planned range by range, until the last one makes the day planned.
            CREATE TABLE IF NOT EXISTS planned_ranges (
                day   TEXT NOT NULL,
                range TEXT NOT NULL,
                PRIMARY KEY (day, range)
            ) WITHOUT ROWID;
            -- The message log, in the customer's partition like everything else. The message id derives
            -- from (customer, trigger, occasion), so the primary key is what makes planning idempotent.
            CREATE TABLE IF NOT EXISTS messages (
                customer_id  TEXT NOT NULL,
                message_id   TEXT NOT NULL,
                trigger      TEXT NOT NULL,
                occasion     TEXT NOT NULL,
                cooldown_key TEXT,
                planned_for  TEXT NOT NULL,
                send_at      TEXT,
                status       TEXT NOT NULL,
                reason_code  TEXT,
                reason       TEXT NOT NULL,
                data         TEXT NOT NULL,
                detail       TEXT,
                decided_at   TEXT NOT NULL,
                updated_at   TEXT NOT NULL,
                events       TEXT,
                PRIMARY KEY (customer_id, message_id)
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS messages_undelivered ON messages (planned_for) WHERE {AwaitsDelivery};
            -- A provider's report names only the message id.
            CREATE INDEX IF NOT EXISTS messages_by_id ON messages (message_id);
            -- The forecast areas customers are in: 0.1° cells per country, added as profiles are written.
            CREATE TABLE IF NOT EXISTS forecast_areas (
                area_id        TEXT NOT NULL PRIMARY KEY,
                country        TEXT NOT NULL,
                latitude_cell  INTEGER NOT NULL,
                longitude_cell INTEGER NOT NULL
            ) WITHOUT ROWID;
            -- Each provider answer per day and area: levels (JSON, grains/m³) or why there are none.
            CREATE TABLE IF NOT EXISTS pollen_forecasts (
                forecast_date TEXT NOT NULL,
                area_id       TEXT NOT NULL,
                provider      TEXT NOT NULL,
                status        TEXT NOT NULL,
                levels        TEXT NOT NULL,
                reason        TEXT,
                fetched_at    TEXT NOT NULL,
                PRIMARY KEY (forecast_date, area_id)
            ) WITHOUT ROWID;
            -- Mailboxes (docs/data-model.md): per address (a hash of it trimmed and lower-cased), the
            -- customers who have it and what was said through any of them, as JSON; holders counts them,
            -- so the plan finds the shared ones through a small index.
            CREATE TABLE IF NOT EXISTS mailboxes (
                mailbox_key TEXT NOT NULL PRIMARY KEY,
                holders     INTEGER NOT NULL,
                document    TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS mailboxes_shared ON mailboxes (mailbox_key) WHERE holders > 1;
            -- One message per mailbox a day: the first message the plan records for it claims the day.
            CREATE TABLE IF NOT EXISTS mailbox_days (
                mailbox_key TEXT NOT NULL,
                day         TEXT NOT NULL,
                message_id  TEXT NOT NULL,
                customer_id TEXT NOT NULL,
                PRIMARY KEY (mailbox_key, day)
            ) WITHOUT ROWID;
            -- Every fitted churn model (JSON); planning uses the latest.
            CREATE TABLE IF NOT EXISTS churn_models (
                id         INTEGER PRIMARY KEY AUTOINCREMENT,
                fitted_at  TEXT NOT NULL,
                as_of      TEXT NOT NULL,
                model      TEXT NOT NULL
            );
            PRAGMA user_version = {SchemaVersion};
            """);
        if (version is > 0 and < 7) FillMailboxes(connection);
        Execute(connection, "COMMIT;");
    }

    /// <summary>Every profile's address joins its mailbox: what the profile writer would have kept had it known mailboxes.</summary>
    private static void FillMailboxes(SqliteConnection connection)
    {
        var mailboxes = new Dictionary<string, Mailbox>(StringComparer.Ordinal);
        using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT customer_id, compact, document FROM profiles";
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                var profile = !reader.IsDBNull(1) && (byte[])reader[1] is var compact && ProfileBinary.IsCurrentFormat(compact)
                    ? ProfileBinary.Decode(compact)
                    : ProfileJson.Deserialize((byte[])reader[2]);
                if (MailboxKeys.Of(profile.Email) is not { } mailboxKey) continue;
                mailboxes[mailboxKey] = MailboxRules.Join(mailboxes.GetValueOrDefault(mailboxKey) ?? new Mailbox(mailboxKey, []), profile.CustomerId);
            }
        }

        using var write = connection.CreateCommand();
        write.CommandText = "INSERT INTO mailboxes (mailbox_key, holders, document) VALUES ($key, $holders, $document)";
        var key = write.Parameters.Add("$key", SqliteType.Text);
        var holders = write.Parameters.Add("$holders", SqliteType.Integer);
        var document = write.Parameters.Add("$document", SqliteType.Text);
        foreach (var mailbox in mailboxes.Values)
        {
            (key.Value, holders.Value, document.Value) = (mailbox.Key, mailbox.Holders.Count, ProfileJson.Serialize(mailbox));
            write.ExecuteNonQuery();
        }
    }

    internal static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
