using Automation.Messages;
using Automation.Profiles.Mailboxes;
using Automation.Profiles.Serialization;
using Microsoft.Data.Sqlite;

namespace Automation.Storage.Sqlite;

/// <summary>One step of the schema: what takes a file of <see cref="Version"/> − 1 to <see cref="Version"/>.</summary>
internal sealed record SqliteMigration(int Version, string Adds, Action<SqliteConnection> Apply);

/// <summary>
/// The schema as numbered migrations. A new file runs them all; a file of an older version runs those
/// after its own (<c>PRAGMA user_version</c>), all in one transaction. Each step converges on today's
/// schema from whatever the real files of its version hold, so a table is created where it first
/// appeared, with the columns it has today, and a column added later is added only where it is missing.
/// </summary>
internal static class SqliteSchema
{
    public static IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new(1, "profiles, transaction lines, sources, ingested files", Sql("""
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
            """)),
        new(2, "the message log, and the profiles' compact copy", connection =>
        {
            AddColumnIfMissing(connection, "profiles", "compact", "BLOB");
            Execute(connection, $"""
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
                """);
        }),
        new(3, "provider reports on messages, the index by message id, sending among the undelivered", connection =>
        {
            AddColumnIfMissing(connection, "messages", "events", "TEXT");
            Execute(connection, $"""
                DROP INDEX IF EXISTS messages_undelivered;
                CREATE INDEX messages_undelivered ON messages (planned_for) WHERE {SqliteDatabase.AwaitsDelivery};
                -- A provider's report names only the message id.
                CREATE INDEX IF NOT EXISTS messages_by_id ON messages (message_id);
                """);
        }),
        new(4, "forecast areas and the pollen cache", Sql("""
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
            """)),
        new(5, "consents exports still arriving, and the churn models", Sql("""
            -- Consents exports that arrived and are not completely ingested: while any is here, nothing is
            -- planned or delivered.
            CREATE TABLE IF NOT EXISTS incomplete_consents (
                name       TEXT NOT NULL PRIMARY KEY,
                content_id TEXT NOT NULL,
                reason     TEXT NOT NULL,
                since      TEXT NOT NULL
            );
            -- Every fitted churn model (JSON); planning uses the latest.
            CREATE TABLE IF NOT EXISTS churn_models (
                id         INTEGER PRIMARY KEY AUTOINCREMENT,
                fitted_at  TEXT NOT NULL,
                as_of      TEXT NOT NULL,
                model      TEXT NOT NULL
            );
            """)),
        new(6, "the planned days", Sql("""
            -- The days whose plan completed: a missed day is planned late, once, instead of lost.
            CREATE TABLE IF NOT EXISTS planned_days (
                day        TEXT NOT NULL PRIMARY KEY,
                planned_at TEXT NOT NULL
            );
            """)),
        new(7, "mailboxes and their days, filled from the profiles already stored", connection =>
        {
            Execute(connection, """
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
                """);
            FillMailboxes(connection);
        }),
        new(8, "the planned ranges of a day", Sql("""
            -- The ranges of a day planned range by range, until the last one makes the day planned.
            CREATE TABLE IF NOT EXISTS planned_ranges (
                day   TEXT NOT NULL,
                range TEXT NOT NULL,
                PRIMARY KEY (day, range)
            ) WITHOUT ROWID;
            """)),
        new(9, "ingestion claims", Sql("""
            -- Ingestions under way, per content: a second run of the same export waits for the first
            -- instead of doing the work twice. A claim lapses at until_ms (Unix milliseconds) unless renewed.
            CREATE TABLE IF NOT EXISTS ingestion_claims (
                content_id TEXT NOT NULL PRIMARY KEY,
                claimant   TEXT NOT NULL,
                until_ms   INTEGER NOT NULL
            ) WITHOUT ROWID;
            """)),
        new(10, "erasure tombstones", Sql("""
            -- One row per erased customer: an HMAC of the id under the salt in store_secrets, so an old
            -- export cannot bring the customer back and the id cannot be read back (docs/privacy.md).
            CREATE TABLE IF NOT EXISTS erasures (
                tombstone TEXT NOT NULL PRIMARY KEY,
                erased_at TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS store_secrets (
                name  TEXT NOT NULL PRIMARY KEY,
                value BLOB NOT NULL
            ) WITHOUT ROWID;
            """)),
        new(11, "when each transaction line occurred, and where a customer's lines were folded", connection =>
        {
            // The time lets retention fold old lines; a line recorded before this version has none and is kept.
            AddColumnIfMissing(connection, "transaction_lines", "occurred_at", "INTEGER");
            Execute(connection, """
                -- Per customer, the Unix second before which the lines were folded: an older line is a replay.
                CREATE TABLE IF NOT EXISTS folded_lines (
                    customer_id TEXT NOT NULL PRIMARY KEY,
                    before      INTEGER NOT NULL
                ) WITHOUT ROWID;
                """);
        }),
        new(12, "which kinds of provider report each message has had", connection =>
        {
            // The outcome report's delivery funnel reads every message: flags, so it parses no event list.
            AddColumnIfMissing(connection, "messages", "events_seen", "INTEGER NOT NULL DEFAULT 0");
            var seen = new List<(string Customer, string Message, int Flags)>();
            using (var select = connection.CreateCommand())
            {
                select.CommandText = "SELECT customer_id, message_id, events FROM messages WHERE events IS NOT NULL AND events <> '[]'";
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    var flags = (int)ReportedEventFlags.Of(MessageEventJson.Deserialize(reader.GetString(2)));
                    if (flags != 0) seen.Add((reader.GetString(0), reader.GetString(1), flags));
                }
            }

            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE messages SET events_seen = $seen WHERE customer_id = $customer AND message_id = $message";
            var flagsParameter = update.Parameters.Add("$seen", SqliteType.Integer);
            var customerParameter = update.Parameters.Add("$customer", SqliteType.Text);
            var messageParameter = update.Parameters.Add("$message", SqliteType.Text);
            foreach (var (customer, message, flags) in seen)
            {
                flagsParameter.Value = flags;
                customerParameter.Value = customer;
                messageParameter.Value = message;
                update.ExecuteNonQuery();
            }
        }),
        new(13, "the plans recorded per day and pass (the console's Plan page)", Sql("""
            -- One row per pass of a day's plan (per range when it is planned range by range): its counts
            -- by trigger, locale, outcome and reason, and a few of its messages, as JSON.
            CREATE TABLE IF NOT EXISTS plan_records (
                day    TEXT NOT NULL,
                pass   TEXT NOT NULL,
                record TEXT NOT NULL,
                PRIMARY KEY (day, pass)
            ) WITHOUT ROWID;
            """)),
    ];

    public static int Latest => Migrations[^1].Version;

    /// <summary>Takes the file on <paramref name="connection"/> to <see cref="Latest"/>, in one transaction.</summary>
    /// <exception cref="InvalidOperationException">The file is of a newer version than this program knows.</exception>
    public static void Migrate(SqliteConnection connection, string path)
    {
        if (VersionOf(connection) == Latest) return;
        Execute(connection, "BEGIN IMMEDIATE;");
        try
        {
            // Read again under the write lock: another process may have migrated the file meanwhile.
            var version = VersionOf(connection);
            if (version > Latest)
            {
                throw new InvalidOperationException(
                    $"The database {path} was written by a newer version of Automation (schema {version}); upgrade this program.");
            }

            foreach (var migration in Migrations.Where(m => m.Version > version)) migration.Apply(connection);
            Execute(connection, $"PRAGMA user_version = {Latest}; COMMIT;");
        }
        catch
        {
            Execute(connection, "ROLLBACK;");
            throw;
        }
    }

    private static int VersionOf(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static Action<SqliteConnection> Sql(string sql) => connection => Execute(connection, sql);

    private static void AddColumnIfMissing(SqliteConnection connection, string table, string column, string type)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = '{column}';";
        if (Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            Execute(connection, $"ALTER TABLE {table} ADD COLUMN {column} {type};");
        }
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

    private static void Execute(SqliteConnection connection, string sql) => SqliteDatabase.Execute(connection, sql);
}
