using Automation.Messages;
using Automation.Profiles.Changes;
using Automation.Profiles.Mailboxes;
using Automation.Profiles.Model;
using Automation.Profiles.Serialization;
using Automation.Profiles.Storage;
using Automation.Testing;
using FluentAssertions;
using Microsoft.Data.Sqlite;
using NodaTime;
using Xunit;

namespace Automation.Storage.Sqlite.Tests;

public sealed class SchemaUpgradeTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task A_store_written_by_the_first_version_is_upgraded_in_place_and_keeps_its_profiles()
    {
        var options = new SqliteStoreSettings { DataDirectory = _folder.Path };
        await using (var connection = new SqliteConnection($"Data Source={options.DatabasePath};Pooling=false"))
        {
            connection.Open();
            await using var command = connection.CreateCommand();
            command.CommandText = $"""
                CREATE TABLE profiles (customer_id TEXT NOT NULL PRIMARY KEY, document BLOB NOT NULL) WITHOUT ROWID;
                CREATE TABLE transaction_lines (transaction_id TEXT NOT NULL, customer_id TEXT NOT NULL, line TEXT NOT NULL, category TEXT,
                    source_id INTEGER NOT NULL, source_line INTEGER NOT NULL, PRIMARY KEY (transaction_id, customer_id, line)) WITHOUT ROWID;
                CREATE TABLE sources (source_id INTEGER PRIMARY KEY, content_id TEXT NOT NULL UNIQUE);
                CREATE TABLE ingested_files (content_id TEXT NOT NULL PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, rows_read INTEGER NOT NULL,
                    accepted INTEGER NOT NULL, rejected INTEGER NOT NULL, warnings INTEGER NOT NULL, duplicates INTEGER NOT NULL, completed_at TEXT NOT NULL);
                INSERT INTO profiles VALUES ('C1', $document);
                PRAGMA user_version = 1;
                """;
            command.Parameters.AddWithValue("$document", ProfileJson.SerializeToUtf8(new CustomerProfile("C1") { Email = "customer.c1@example.com" }));
            await command.ExecuteNonQueryAsync();
        }

        var store = new SqliteProfileStore(new SqliteDatabase(options), options);

        (await store.GetAsync("C1"))!.Email.Should().Be("customer.c1@example.com", "without a compact copy the JSON document is read");
        await store.ApplyAsync([TestChanges.Customer("C2", TestChanges.At(2024, 1, 1), "customer.c2@example.com")]);
        var all = await store.ReadAllAsync().ToListAsync();
        all.Select(p => p.Email).Should().Equal("customer.c1@example.com", "customer.c2@example.com");

        var fresh = new SqliteStoreSettings { DataDirectory = Path.Combine(_folder.Path, "fresh") };
        CreateToday(fresh);

        Schema(options.DatabasePath).Should().BeEquivalentTo(Schema(fresh.DatabasePath), "every migration after the first ran, and converged on today's schema");
    }

    [Fact]
    public async Task A_store_written_by_a_newer_version_is_refused_with_a_sentence_and_left_as_it_is()
    {
        var options = new SqliteStoreSettings { DataDirectory = _folder.Path };
        CreateToday(options);
        await ExecuteAsNoStoreWouldAsync(options, $"PRAGMA user_version = {SqliteSchema.Latest + 1};");

        var open = () => new SqliteDatabase(options).Open();

        open.Should().Throw<InvalidOperationException>().WithMessage($"*written by a newer version of Automation (schema {SqliteSchema.Latest + 1}); upgrade this program.");
        SqliteSchema.Migrations.Select(m => m.Version).Should().Equal(Enumerable.Range(1, SqliteSchema.Latest), "migrations are numbered one by one");
    }

    /// <summary>A file with today's schema, as a new store makes it.</summary>
    private static void CreateToday(SqliteStoreSettings options)
    {
        using var connection = new SqliteDatabase(options).Open();
    }

    /// <summary>
    /// SQL run on the file behind the store's back, as an older version (or a person) would leave it;
    /// after it, a new process opens the file: no connection is pooled.
    /// </summary>
    private static async Task ExecuteAsNoStoreWouldAsync(SqliteStoreSettings options, string sql)
    {
        SqliteConnection.ClearAllPools();
        await using var connection = new SqliteConnection($"Data Source={options.DatabasePath};Pooling=false");
        connection.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Every table's columns and every index, by name: what a migration must leave as a new file has it.</summary>
    private static List<string> Schema(string path)
    {
        SqliteConnection.ClearAllPools();
        using var connection = new SqliteConnection($"Data Source={path};Pooling=false;Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT m.type || ' ' || m.name || coalesce(' ' || c.name || ' ' || c.type, '')
            FROM sqlite_master m LEFT JOIN pragma_table_info(m.name) c ON m.type = 'table'
            WHERE m.name NOT LIKE 'sqlite_%'
            """;
        using var reader = command.ExecuteReader();
        var schema = new List<string>();
        while (reader.Read()) schema.Add(reader.GetString(0));
        return schema;
    }

    [Fact]
    public async Task A_store_from_before_mailboxes_learns_its_addresses_on_upgrade_so_a_new_record_at_an_old_address_is_known_to_share_it()
    {
        var options = new SqliteStoreSettings { DataDirectory = _folder.Path };
        var database = new SqliteDatabase(options);
        await new SqliteProfileStore(database, options).ApplyAsync(
            [TestChanges.Customer("C1", TestChanges.At(2024, 1, 1), "customer.c1@example.com"), TestChanges.Customer("C9", TestChanges.At(2024, 1, 1), "own@example.com")]);
        await ExecuteAsNoStoreWouldAsync(options, "DROP TABLE mailboxes; DROP TABLE mailbox_days; PRAGMA user_version = 6;");

        var upgraded = new SqliteDatabase(options);
        var store = new SqliteProfileStore(upgraded, options);
        await using var writer = await store.OpenWriterAsync();
        await writer.ApplyAsync([TestChanges.Customer("C2", TestChanges.At(2024, 2, 1), " Customer.C1@EXAMPLE.com", source: new LineSource("sha256:new", 5))]);
        await writer.CommitAsync();

        writer.TakeFindings().SharedAddresses.Should().ContainSingle().Which.Should().BeEquivalentTo(new SharedAddress(new LineSource("sha256:new", 5), "C2", ["C1"]));
        var shared = await new SqliteMailboxes(upgraded).ReadSharedAsync().ToListAsync();
        shared.Should().ContainSingle().Which.Holders.Should().Equal("C1", "C2");
    }

    [Fact]
    public async Task A_message_log_written_before_provider_reports_is_upgraded_and_takes_them()
    {
        var options = new SqliteStoreSettings { DataDirectory = _folder.Path };
        // Today's schema, taken back to version 2 below; then a new process, as after an upgrade, with no pooled connection.
        CreateToday(options);
        // The version 2 message log: no events column, no index by message id.
        await ExecuteAsNoStoreWouldAsync(options, """
                DROP INDEX messages_by_id;
                DROP INDEX messages_undelivered;
                ALTER TABLE messages DROP COLUMN events;
                ALTER TABLE messages DROP COLUMN events_seen;
                CREATE INDEX messages_undelivered ON messages (planned_for) WHERE status IN ('planned', 'failed');
                INSERT INTO messages VALUES ('C1', 'm1', 'birthday', 'birthday:2026', NULL, '2026-06-15', '2026-06-15T07:00:00Z', 'sent',
                    NULL, 'birthday today', '{}', 'accepted by SendGrid', '2026-06-15T04:00:00Z', '2026-06-15T07:00:00Z');
                PRAGMA user_version = 2;
                """);

        var log = new SqliteMessageLog(new SqliteDatabase(options));

        var message = (await log.FindAsync(new("m1")))!;
        message.Events.Should().BeEmpty();
        var reported = await log.ApplyEventAsync(message, new MessageEvent("delivered", Instant.FromUtc(2026, 6, 15, 7, 1), "ev-1", null));
        reported!.Status.Should().Be(MessageStatus.Delivered);
        (await log.GetCustomerMessagesAsync(new("C1"))).Single().Events.Should().ContainSingle().Which.ProviderEventId.Should().Be("ev-1");
    }

    [Fact]
    public async Task Messages_reported_on_before_the_funnel_flags_existed_show_in_the_funnel_after_the_upgrade()
    {
        var options = new SqliteStoreSettings { DataDirectory = _folder.Path };
        CreateToday(options);
        // The version 11 message log: provider reports as JSON only.
        await ExecuteAsNoStoreWouldAsync(options, """
                ALTER TABLE messages DROP COLUMN events_seen;
                INSERT INTO messages VALUES ('C1', 'm1', 'birthday', 'birthday:2026', NULL, '2026-06-15', '2026-06-15T07:00:00Z', 'delivered',
                    NULL, 'birthday today', '{}', 'accepted by SendGrid', '2026-06-15T04:00:00Z', '2026-06-15T07:00:00Z',
                    '[{"type":"delivered","at":"2026-06-15T07:01:00Z"},{"type":"open","at":"2026-06-15T09:00:00Z"},{"type":"click","at":"2026-06-15T09:01:00Z"}]');
                INSERT INTO messages VALUES ('C2', 'm2', 'birthday', 'birthday:2026', NULL, '2026-06-15', '2026-06-15T07:00:00Z', 'sent',
                    NULL, 'birthday today', '{}', 'accepted by SendGrid', '2026-06-15T04:00:00Z', '2026-06-15T07:00:00Z', NULL);
                PRAGMA user_version = 11;
                """);

        var log = new SqliteMessageLog(new SqliteDatabase(options));

        var histories = await log.ReadHistoriesAsync().ToListAsync();
        histories.Select(h => h.Entries.Single().Reported).Should().Equal(ReportedEvents.Delivered | ReportedEvents.Opened | ReportedEvents.Clicked, ReportedEvents.None);
        histories[0].Entries[0].SendAt.Should().Be(Instant.FromUtc(2026, 6, 15, 7, 0));
        await log.ApplyEventAsync((await log.FindAsync(new("m2")))!, new MessageEvent("bounce", Instant.FromUtc(2026, 6, 15, 7, 2), "ev-2", null));
        (await log.ReadHistoriesAsync().ToListAsync())[1].Entries.Single().Reported.Should().Be(ReportedEvents.Bounced);
    }

    public void Dispose() => _folder.Dispose();
}
