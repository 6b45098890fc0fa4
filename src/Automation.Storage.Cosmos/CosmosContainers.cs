using System.Net;
using Azure.Identity;
using Microsoft.Azure.Cosmos;

namespace Automation.Storage.Cosmos;

/// <summary>
/// The one <see cref="CosmosClient"/> of the process and the eight containers (docs/data-model.md).
/// The containers are checked, or created when <see cref="CosmosStoreSettings.CreateIfMissing"/>
/// allows it, on first use, until that succeeds once: a failure (a network blip at start) is not
/// remembered, so the next call of a long-lived process (serve, a warm Functions instance) tries again.
/// </summary>
public sealed class CosmosContainers : IAsyncDisposable
{
    public const string ProfilesName = "profiles";
    public const string MessagesName = "messages";
    public const string DeliveriesName = "deliveries";
    public const string IngestionsName = "ingestions";
    public const string SendsName = "sends";
    public const string ContextName = "context";
    public const string MailboxesName = "mailboxes";
    public const string ErasuresName = "erasures";
    private const int SecondsPerDay = 86_400;

    private readonly CosmosStoreSettings _settings;
    private readonly CosmosClient _client;
    private readonly SemaphoreSlim _preparing = new(1, 1);
    private volatile bool _ready;

    public CosmosContainers(CosmosStoreSettings settings, CosmosUsageMeter meter)
    {
        _settings = settings;
        var options = new CosmosClientOptions
        {
            // Gateway mode: HTTPS through a few pooled connections, which suits Functions' outbound
            // connection limits, and lets the usage meter see every throttled attempt.
            ConnectionMode = ConnectionMode.Gateway,
            AllowBulkExecution = settings.AllowBulkExecution,
            HttpClientFactory = () => new HttpClient(new CosmosUsageMeter.Handler(meter, new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                MaxConnectionsPerServer = Math.Max(16, settings.MaxConcurrentOperations),
            })),
            EnableContentResponseOnWrite = false,
            ApplicationName = "automation",
        };
        if (settings.ConnectionString is { } connectionString)
        {
            // Emulators answer on one address; do not follow the regional endpoints they advertise.
            options.LimitToEndpoint = true;
            _client = new CosmosClient(connectionString, options);
        }
        else
        {
            _client = new CosmosClient(settings.AccountEndpoint!, new DefaultAzureCredential(), options);
        }

        var database = _client.GetDatabase(settings.Database);
        Profiles = database.GetContainer(ProfilesName);
        Messages = database.GetContainer(MessagesName);
        Deliveries = database.GetContainer(DeliveriesName);
        Ingestions = database.GetContainer(IngestionsName);
        Sends = database.GetContainer(SendsName);
        Context = database.GetContainer(ContextName);
        Mailboxes = database.GetContainer(MailboxesName);
        Erasures = database.GetContainer(ErasuresName);
    }

    public Container Profiles { get; }
    public Container Messages { get; }
    public Container Deliveries { get; }
    public Container Ingestions { get; }
    public Container Sends { get; }
    public Container Context { get; }
    public Container Mailboxes { get; }
    public Container Erasures { get; }

    /// <summary>Completes when the containers exist; fails with a sentence saying what is missing and which setting decides.</summary>
    public async Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        if (_ready) return;
        await _preparing.WaitAsync(cancellationToken);
        try
        {
            if (_ready) return;
            await PrepareAsync(cancellationToken);
            _ready = true;
        }
        finally
        {
            _preparing.Release();
        }
    }

    private async Task PrepareAsync(CancellationToken cancellationToken)
    {
        var definitions = Definitions(_settings);
        if (_settings.CreateIfMissing)
        {
            var database = (await _client.CreateDatabaseIfNotExistsAsync(
                _settings.Database, ThroughputProperties.CreateAutoscaleThroughput(_settings.ProvisionedThroughput), cancellationToken: cancellationToken)).Database;
            foreach (var definition in definitions) await database.CreateContainerIfNotExistsAsync(definition, cancellationToken: cancellationToken);
            return;
        }

        foreach (var definition in definitions)
        {
            using var response = await _client.GetDatabase(_settings.Database).GetContainer(definition.Id).ReadContainerStreamAsync(cancellationToken: cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new CosmosStoreException(
                    $"The Cosmos DB container '{definition.Id}' does not exist in database '{_settings.Database}'. Create it as docs/data-model.md " +
                    $"describes, or set {CosmosStoreSettings.Section}:CreateIfMissing to true for an emulator.");
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new CosmosStoreException(
                    $"Cosmos DB refused to read container '{definition.Id}' ({(int)response.StatusCode} {response.StatusCode}); check " +
                    $"{CosmosStoreSettings.Section}:AccountEndpoint and that this identity has the Cosmos DB Built-in Data Contributor role.");
            }
        }
    }

    /// <summary>The containers as docs/data-model.md describes them.</summary>
    public static IReadOnlyList<ContainerProperties> Definitions(CosmosStoreSettings settings) =>
    [
        WithIndexing(new ContainerProperties(ProfilesName, "/customerId") { DefaultTimeToLive = null }),
        WithIndexing(new ContainerProperties(MessagesName, "/customerId") { DefaultTimeToLive = settings.MessageRetentionDays * SecondsPerDay }),
        WithIndexing(new ContainerProperties(DeliveriesName, "/customerId") { DefaultTimeToLive = null }),
        WithIndexing(new ContainerProperties(IngestionsName, "/id") { DefaultTimeToLive = settings.IngestionRecordRetentionDays * SecondsPerDay }),
        WithIndexing(new ContainerProperties(SendsName, "/id") { DefaultTimeToLive = settings.MessageRetentionDays * SecondsPerDay }),
        // -1: time to live on, no default; forecasts carry their own ttl, areas none.
        WithIndexing(new ContainerProperties(ContextName, "/partition") { DefaultTimeToLive = -1 }),
        // -1 again: day claims carry a ttl, mailboxes and the shared list none.
        WithIndexing(new ContainerProperties(MailboxesName, "/partition") { DefaultTimeToLive = -1 }),
        // Tombstones of erased customers and the salt they are made with: kept for good.
        WithIndexing(new ContainerProperties(ErasuresName, "/id") { DefaultTimeToLive = null }),
    ];

    /// <summary>
    /// Every access is a point operation, a partition-scoped query on the partition key, or the change
    /// feed; none filters on a property, so nothing but the partition key is indexed and writes cost
    /// the minimum.
    /// </summary>
    private static ContainerProperties WithIndexing(ContainerProperties container)
    {
        container.IndexingPolicy = new IndexingPolicy { Automatic = true, IndexingMode = IndexingMode.Consistent };
        container.IndexingPolicy.IncludedPaths.Add(new IncludedPath { Path = container.PartitionKeyPath + "/?" });
        container.IndexingPolicy.ExcludedPaths.Add(new ExcludedPath { Path = "/*" });
        return container;
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        _preparing.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>The Cosmos DB store cannot do what was asked; the message says why and what to change.</summary>
public sealed class CosmosStoreException(string message, Exception? inner = null) : Exception(message, inner);
