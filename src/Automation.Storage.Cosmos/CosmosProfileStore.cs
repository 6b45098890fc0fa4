using System.Runtime.CompilerServices;
using System.Text.Json;
using Automation.Profiles.Model;
using Automation.Profiles.Serialization;
using Automation.Profiles.Storage;

namespace Automation.Storage.Cosmos;

/// <summary>Profiles in the <c>profiles</c> container, one document per customer, partitioned by customer id.</summary>
/// <param name="hooks">What follows each commit of a write session (the forecast areas in use, with AddAutomationContext).</param>
public sealed class CosmosProfileStore(
    CosmosContainers containers, CosmosStoreSettings settings, CosmosMailboxes mailboxes, CosmosErasureStore erasures, IEnumerable<IProfileCommitHook> hooks) : ICustomerProfileStore, ICustomerLines
{
    public async Task<CustomerProfile?> GetAsync(string customerId, CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        var read = await CosmosFeeds.ReadAsync(containers.Profiles, customerId, customerId, cancellationToken);
        if (read is null) return null;
        using var document = JsonDocument.Parse(read.Json);
        return ProfileJson.Deserialize(document.RootElement.GetProperty("profile"));
    }

    public async IAsyncEnumerable<CustomerProfile> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        await foreach (var document in CosmosFeeds.ReadAllAsync(containers.Profiles, cancellationToken))
        {
            yield return ProfileJson.Deserialize(document.GetProperty("profile"));
        }
    }

    public async IAsyncEnumerable<StoredLine> ReadLinesAsync(string customerId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        var read = await CosmosFeeds.ReadAsync(containers.Profiles, customerId, customerId, cancellationToken);
        if (read is null) yield break;
        foreach (var line in Documents.ProfileDocument.Parse(read.Json).Lines) yield return line;
    }

    public async Task<IProfileWriter> OpenWriterAsync(CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        return new CosmosProfileWriter(containers.Profiles, settings, mailboxes, erasures, [.. hooks.Select(hook => hook.Start())]);
    }
}
