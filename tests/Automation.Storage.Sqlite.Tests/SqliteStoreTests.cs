using Automation.Ingestion;
using Automation.Profiles.Changes;
using Automation.Profiles.Model;
using Automation.Profiles.Storage;
using Automation.Storage.Sqlite;
using Automation.Testing;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Storage.Sqlite.Tests;

public sealed class SqliteStoreTests : ProfileStoreContract, IDisposable
{
    private readonly TempFolder _folder = new();
    private int _stores;

    protected override (ICustomerProfileStore Store, IIngestionLedger Ledger) CreateStore() => Open($"store-{_stores++}");

    private (ICustomerProfileStore Store, IIngestionLedger Ledger) Open(string name)
    {
        var options = new SqliteStoreSettings { DataDirectory = Path.Combine(_folder.Path, name), ProfileCacheSize = 1_000 };
        var database = new SqliteDatabase(options);
        return (new SqliteProfileStore(database, options), new SqliteIngestionLedger(database));
    }

    [Fact]
    public async Task A_database_that_cannot_be_opened_at_first_is_created_on_the_next_call()
    {
        var options = new SqliteStoreSettings { DataDirectory = Path.Combine(_folder.Path, "late"), ProfileCacheSize = 1_000 };
        var database = new SqliteDatabase(options);
        // Something in the way of the database file, as when a volume is not mounted yet.
        Directory.CreateDirectory(database.Path);
        var store = new SqliteProfileStore(database, options);

        var whileBlocked = () => store.GetAsync("C1");
        await whileBlocked.Should().ThrowAsync<Microsoft.Data.Sqlite.SqliteException>();

        Directory.Delete(database.Path);
        await store.ApplyAsync([TestChanges.Customer("C1", TestChanges.At(2024, 1, 1), "ada@example.com")]);
        (await store.GetAsync("C1"))!.Email.Should().Be("ada@example.com");
    }

    [Fact]
    public async Task Profiles_survive_reopening_the_database_file()
    {
        var (store, _) = Open("durable");
        await store.ApplyAsync([TestChanges.Customer("C1", TestChanges.At(2024, 1, 1), "ada@example.com")]);

        var (reopened, _) = Open("durable");

        (await reopened.GetAsync("C1"))!.Email.Should().Be("ada@example.com");
    }

    [Fact]
    public async Task A_session_touching_more_customers_than_its_cache_writes_back_and_stays_exact()
    {
        var (store, _) = Open("small-cache");
        await using (var writer = await store.OpenWriterAsync())
        {
            for (var round = 1; round <= 3; round++)
            {
                for (var chunk = 0; chunk < 5; chunk++)
                {
                    var changes = Enumerable.Range(chunk * 500, 500)
                        .Select(i => (ProfileChange)TestChanges.Line($"C{i:D5}", $"T{round}-{i}", round, day: new LocalDate(2024, 3, round)))
                        .ToArray();
                    await writer.ApplyAsync(changes);
                }
            }

            (await writer.CommitAsync()).Should().Be(new ApplyResult(7_500, 0));
        }

        var profiles = new List<CustomerProfile>();
        await foreach (var profile in store.ReadAllAsync()) profiles.Add(profile);
        profiles.Should().HaveCount(2_500);
        profiles.Should().OnlyContain(p => p.Purchases.OrderCount == 3 && p.Purchases.SpendByCurrency["EUR"].Gross == 6m && p.Purchases.PurchaseDays.Count == 3);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
