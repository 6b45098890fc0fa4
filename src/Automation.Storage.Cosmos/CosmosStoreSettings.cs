using Automation.Settings;
using Microsoft.Extensions.Configuration;

namespace Automation.Storage.Cosmos;

/// <summary>Settings under <c>Automation:Cosmos</c> (docs/configuration.md, docs/data-model.md).</summary>
/// <param name="AccountEndpoint">The account's https endpoint; authenticates with DefaultAzureCredential (managed identity in Azure).</param>
/// <param name="ConnectionString">A key-based connection string, for emulators; exactly one of the two is set.</param>
/// <param name="CreateIfMissing">Creates the database and containers when absent. Production creates them through infra/.</param>
/// <param name="AllowBulkExecution">The SDK groups concurrent point operations into batches per partition. On in production.</param>
/// <param name="WriteBatchChanges">Changes a write session buffers before it writes them (Cosmos DB has no transaction across customers).</param>
/// <param name="ProfileCacheSize">Profile documents a write session remembers with their ETags, so the next commit writes without reading first.</param>
/// <param name="MaxConcurrentOperations">Point operations in flight at once per session or batch; with bulk execution the SDK packs them.</param>
/// <param name="MessageRetentionDays">Time to live of message-log documents; a customer's message index in the profile keeps as long.</param>
/// <param name="IngestionRecordRetentionDays">Time to live of ingestion records (which export contents were ingested).</param>
/// <param name="ProvisionedThroughput">Autoscale maximum RU/s of the database when this process creates it.</param>
public sealed record CosmosStoreSettings(
    string? AccountEndpoint,
    string? ConnectionString,
    string Database,
    bool CreateIfMissing,
    bool AllowBulkExecution,
    int WriteBatchChanges,
    int ProfileCacheSize,
    int MaxConcurrentOperations,
    int MessageRetentionDays,
    int IngestionRecordRetentionDays,
    int ProvisionedThroughput)
{
    public const string Section = "Automation:Cosmos";

    public static CosmosStoreSettings Read(IConfiguration configuration)
    {
        var reader = new SettingsReader(configuration);
        var settings = new CosmosStoreSettings(
            reader.Text(Section + ":AccountEndpoint", "", required: false) is { Length: > 0 } endpoint ? endpoint : null,
            reader.Text(Section + ":ConnectionString", "", required: false) is { Length: > 0 } connection ? connection : null,
            reader.Text(Section + ":Database", "automation"),
            reader.Bool(Section + ":CreateIfMissing", false),
            reader.Bool(Section + ":AllowBulkExecution", true),
            reader.WholeNumber(Section + ":WriteBatchChanges", 50_000, 100, 10_000_000, "changes"),
            reader.WholeNumber(Section + ":ProfileCacheSize", 100_000, 0, 10_000_000, "profiles"),
            reader.WholeNumber(Section + ":MaxConcurrentOperations", 64, 1, 10_000, "operations"),
            reader.WholeNumber(Section + ":MessageRetentionDays", 400, 30, 3_650, "days"),
            reader.WholeNumber(Section + ":IngestionRecordRetentionDays", 400, 1, 3_650, "days"),
            reader.WholeNumber(Section + ":ProvisionedThroughput", 4_000, 1_000, 1_000_000, "RU/s"));

        switch (settings.AccountEndpoint, settings.ConnectionString)
        {
            case (null, null):
                reader.Error($"{Section}:AccountEndpoint must be set to the account's https endpoint (or, for an emulator, {Section}:ConnectionString) when the store is cosmos.");
                break;
            case ({ }, { }):
                reader.Error($"Set only one of {Section}:AccountEndpoint (managed identity) and {Section}:ConnectionString (key, for emulators), not both.");
                break;
            case ({ } accountEndpoint, null) when !Uri.TryCreate(accountEndpoint, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps:
                reader.Error($"{Section}:AccountEndpoint must be an https URL such as https://myaccount.documents.azure.com:443/, got '{accountEndpoint}'.");
                break;
            case (null, { } connectionString) when !connectionString.Contains("AccountEndpoint=", StringComparison.OrdinalIgnoreCase)
                                                   || !connectionString.Contains("AccountKey=", StringComparison.OrdinalIgnoreCase):
                // The value is a secret: the sentence names the setting, never the value.
                reader.Error($"{Section}:ConnectionString must have the form AccountEndpoint=...;AccountKey=...;");
                break;
        }

        if (settings.ProvisionedThroughput % 1_000 != 0)
        {
            reader.Error($"{Section}:ProvisionedThroughput must be a multiple of 1000 RU/s (autoscale), got '{settings.ProvisionedThroughput}'.");
        }

        reader.RejectUnknownKeys(Section);
        reader.ThrowIfInvalid();
        return settings;
    }
}
