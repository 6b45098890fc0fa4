using Automation.Ingestion;
using Automation.Profiles.Storage;
using Automation.Storage.Sqlite;
using Automation.Testing;
using FluentAssertions;
using Microsoft.Extensions.Options;
using Xunit;

namespace Automation.Storage.Sqlite.Tests;

public sealed class SqliteStoreTests : ProfileStoreContract, IDisposable
{
    private readonly TempFolder _folder = new();
    private int _stores;

    protected override (ICustomerProfileStore Store, IIngestionLedger Ledger) CreateStore() => Open($"store-{_stores++}");

    private (ICustomerProfileStore Store, IIngestionLedger Ledger) Open(string name)
    {
        var options = Options.Create(new SqliteStoreOptions { DataDirectory = Path.Combine(_folder.Path, name), ProfileCacheSize = 1_000 });
        var database = new SqliteDatabase(options);
        return (new SqliteProfileStore(database, options), new SqliteIngestionLedger(database));
    }

    [Fact]
    public async Task Profiles_survive_reopening_the_database_file()
    {
        var (store, _) = Open("durable");
        await store.ApplyAsync([TestChanges.Customer("C1", TestChanges.At(2024, 1, 1), "ada@example.com")]);

        var (reopened, _) = Open("durable");

        (await reopened.GetAsync("C1"))!.Email.Should().Be("ada@example.com");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
