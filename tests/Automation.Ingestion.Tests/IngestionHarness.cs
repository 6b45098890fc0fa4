using Automation.Profiles.Changes;
using Automation.Profiles.Model;
using Automation.Profiles.Serialization;
using Automation.Profiles.Storage;
using Automation.Storage.Sqlite;
using Automation.Testing;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;

namespace Automation.Ingestion.Tests;

/// <summary>A real pipeline on a real SQLite file in a temp folder, with a fixed clock.</summary>
public sealed class IngestionHarness : IDisposable
{
    private readonly Func<IngestionSettings, IngestionSettings>? _configure;
    private int _stores;

    /// <param name="configure">Further ingestion settings (encodings…).</param>
    public IngestionHarness(int batchSize = 3, int? commitEveryRows = null, Func<IngestionSettings, IngestionSettings>? configure = null)
    {
        _configure = configure;
        BatchSize = batchSize;
        CommitEveryRows = commitEveryRows ?? batchSize;
        (Store, Ledger, ConsentsGate) = NewStore();
        Service = CreateService(Store, Ledger, ConsentsGate);
    }

    public TempFolder Folder { get; } = new();
    public FakeClock Clock { get; } = FakeClock.At(2026, 11, 1);
    public int BatchSize { get; }

    /// <summary>By default a commit after every batch, so a crash test sees some work committed and some lost.</summary>
    public int CommitEveryRows { get; }
    public SqliteProfileStore Store { get; }
    public SqliteIngestionLedger Ledger { get; }
    public SqliteConsentsGate ConsentsGate { get; }
    public IngestionService Service { get; }

    public (SqliteProfileStore, SqliteIngestionLedger, SqliteConsentsGate) NewStore()
    {
        var options = new SqliteStoreSettings { DataDirectory = Folder.File($"store-{_stores++}") };
        var database = new SqliteDatabase(options);
        return (new SqliteProfileStore(database, options), new SqliteIngestionLedger(database), new SqliteConsentsGate(database));
    }

    public IngestionService CreateService(ICustomerProfileStore store, IIngestionLedger ledger, IConsentsGate? consentsGate = null)
    {
        var options = new IngestionSettings { BatchSize = BatchSize, CommitEveryRows = CommitEveryRows };
        return new(store, ledger, consentsGate ?? ConsentsGate, Clock, _configure?.Invoke(options) ?? options, NullLogger<IngestionService>.Instance);
    }

    public Task<FileIngestionResult> IngestAsync(string path, CancellationToken cancellationToken = default) =>
        Service.IngestAsync(new LocalExportFile(path), null, cancellationToken);

    public async Task<CustomerProfile> ProfileAsync(string id) =>
        await Store.GetAsync(id) ?? throw new InvalidOperationException($"No profile {id}.");

    public static async Task<List<string>> SnapshotAsync(ICustomerProfileStore store)
    {
        var documents = new List<string>();
        await foreach (var profile in store.ReadAllAsync()) documents.Add(ProfileJson.Serialize(profile));
        return documents;
    }

    /// <summary>The rows of the rejected-rows report: line, severity, field, reason, raw.</summary>
    public List<string[]> RejectedRows(string exportPath)
    {
        using var reader = CsvHelper.CsvReader.FromFile(exportPath + ReportNames.RejectedSuffix);
        reader.Headers.Should().Equal("line", "severity", "field", "reason", "raw");
        var rows = new List<string[]>();
        while (reader.Read()) rows.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray());
        return rows;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Folder.Dispose();
    }
}

/// <summary>A store whose writer fails after a number of batches, as a crash would: the batch in flight is lost.</summary>
public sealed class CrashingStore(ICustomerProfileStore inner, int batchesBeforeCrash, CancellationTokenSource crash) : ICustomerProfileStore
{
    private int _batches;

    public Task<CustomerProfile?> GetAsync(string customerId, CancellationToken cancellationToken = default) => inner.GetAsync(customerId, cancellationToken);

    public IAsyncEnumerable<CustomerProfile> ReadAllAsync(CancellationToken cancellationToken = default) => inner.ReadAllAsync(cancellationToken);

    private bool ThisBatchCrashes() => Interlocked.Increment(ref _batches) > batchesBeforeCrash;

    private Task CrashAsync() => crash.CancelAsync();

    public async Task<IProfileWriter> OpenWriterAsync(CancellationToken cancellationToken = default) =>
        new CrashingWriter(await inner.OpenWriterAsync(cancellationToken), this);

    private sealed class CrashingWriter(IProfileWriter inner, CrashingStore store) : IProfileWriter
    {
        public async Task ApplyAsync(IReadOnlyList<ProfileChange> changes, CancellationToken cancellationToken = default)
        {
            if (store.ThisBatchCrashes())
            {
                await store.CrashAsync();
                cancellationToken.ThrowIfCancellationRequested();
            }

            await inner.ApplyAsync(changes, cancellationToken);
        }

        public Task<ApplyResult> CommitAsync(CancellationToken cancellationToken = default) => inner.CommitAsync(cancellationToken);

        public WriterFindings TakeFindings() => inner.TakeFindings();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}

/// <summary>A store whose writer fails on the second batch with an error of its own.</summary>
public sealed class FailingStore(ICustomerProfileStore inner) : ICustomerProfileStore
{
    public Task<CustomerProfile?> GetAsync(string customerId, CancellationToken cancellationToken = default) => inner.GetAsync(customerId, cancellationToken);

    public IAsyncEnumerable<CustomerProfile> ReadAllAsync(CancellationToken cancellationToken = default) => inner.ReadAllAsync(cancellationToken);

    public async Task<IProfileWriter> OpenWriterAsync(CancellationToken cancellationToken = default) =>
        new FailingWriter(await inner.OpenWriterAsync(cancellationToken));

    private sealed class FailingWriter(IProfileWriter inner) : IProfileWriter
    {
        private int _batches;

        public Task ApplyAsync(IReadOnlyList<ProfileChange> changes, CancellationToken cancellationToken = default) =>
            ++_batches > 1 ? throw new InvalidOperationException("disk on fire") : inner.ApplyAsync(changes, cancellationToken);

        public Task<ApplyResult> CommitAsync(CancellationToken cancellationToken = default) => inner.CommitAsync(cancellationToken);

        public WriterFindings TakeFindings() => inner.TakeFindings();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
