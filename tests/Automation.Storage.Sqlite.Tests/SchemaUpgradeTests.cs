using Automation.Profiles.Model;
using Automation.Profiles.Serialization;
using Automation.Profiles.Storage;
using Automation.Testing;
using FluentAssertions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Xunit;

namespace Automation.Storage.Sqlite.Tests;

public sealed class SchemaUpgradeTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task A_store_written_by_the_first_version_is_upgraded_in_place_and_keeps_its_profiles()
    {
        var options = Options.Create(new SqliteStoreOptions { DataDirectory = _folder.Path });
        await using (var connection = new SqliteConnection($"Data Source={options.Value.DatabasePath};Pooling=false"))
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
    }

    public void Dispose() => _folder.Dispose();
}
