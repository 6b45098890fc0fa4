using System.Text.Json;
using Automation.Churn;
using Automation.Churn.Training;
using Microsoft.Azure.Cosmos;
using NodaTime.Text;

namespace Automation.Storage.Cosmos;

/// <summary>
/// Fitted models in the <c>context</c> container's <c>churn-models</c> partition: one document per fit
/// (kept, so past plans stay explainable) and <c>latest</c>, rewritten by every fit, which planning reads
/// with one point read.
/// </summary>
public sealed class CosmosChurnModelStore(CosmosContainers containers) : IChurnModelStore
{
    private const string Partition = "churn-models";
    private const string LatestId = "latest";

    public async Task SaveAsync(ChurnModel model, CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        var fittedAt = InstantPattern.ExtendedIso.Format(model.FittedAt);
        using (var history = await containers.Context.UpsertItemStreamAsync(Document(fittedAt, model), new PartitionKey(Partition), cancellationToken: cancellationToken))
        {
            CosmosFeeds.EnsureSuccess(history, "save a churn model");
        }

        using var latest = await containers.Context.UpsertItemStreamAsync(Document(LatestId, model), new PartitionKey(Partition), cancellationToken: cancellationToken);
        CosmosFeeds.EnsureSuccess(latest, "save the latest churn model");
    }

    public async Task<ChurnModel?> LoadLatestAsync(CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        if (await CosmosFeeds.ReadAsync(containers.Context, LatestId, Partition, cancellationToken) is not { } latest) return null;
        using var document = JsonDocument.Parse(latest.Json);
        return ChurnModelJson.Deserialize(document.RootElement.GetProperty("model").GetRawText());
    }

    private static MemoryStream Document(string id, ChurnModel model)
    {
        var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString("partition", Partition);
            writer.WriteString("fittedAt", InstantPattern.ExtendedIso.Format(model.FittedAt));
            writer.WritePropertyName("model");
            writer.WriteRawValue(ChurnModelJson.Serialize(model));
            writer.WriteEndObject();
        }

        stream.Position = 0;
        return stream;
    }
}
