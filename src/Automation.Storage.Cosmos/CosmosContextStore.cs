using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Automation.ContextSources.Areas;
using Automation.ContextSources.Pollen;
using Microsoft.Azure.Cosmos;
using NodaTime;
using NodaTime.Text;

namespace Automation.Storage.Cosmos;

/// <summary>
/// The <c>context</c> container: the forecast areas in use, all in one logical partition (<c>areas</c>;
/// tens of thousands of small documents at most, read with one partition-scoped query), and each day's
/// pollen answers in a partition of their own (<c>pollen:2026-11-23</c>), expiring after two months.
/// </summary>
public sealed class CosmosContextStore(CosmosContainers containers, CosmosStoreSettings settings) : IForecastAreaStore, IPollenForecastCache
{
    private const string AreasPartition = "areas";
    private const int RetentionSeconds = 60 * 86_400;

    // Areas this process knows are stored: profile commits add each area once per process, not once per session.
    private readonly ConcurrentDictionary<ForecastArea, bool> _knownAreas = new();

    public async IAsyncEnumerable<ForecastArea> ReadAreasAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        var query = new QueryDefinition("SELECT * FROM c WHERE c.partition = @partition").WithParameter("@partition", AreasPartition);
        await foreach (var item in CosmosFeeds.QueryPartitionAsync(containers.Context, query, AreasPartition, cancellationToken))
        {
            yield return new ForecastArea(item.GetProperty("country").GetString()!, item.GetProperty("latitudeCell").GetInt32(), item.GetProperty("longitudeCell").GetInt32());
        }
    }

    public async Task AddAreasAsync(IReadOnlyCollection<ForecastArea> areas, CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        await Parallel.ForEachAsync(areas,
            new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrentOperations, CancellationToken = cancellationToken },
            async (area, token) => await AddAreaAsync(area, token));
    }

    /// <summary>Create-if-absent, once per area and process.</summary>
    private async Task AddAreaAsync(ForecastArea area, CancellationToken cancellationToken)
    {
        if (_knownAreas.ContainsKey(area)) return;
        var json = JsonSerializer.SerializeToUtf8Bytes(new
        {
            id = area.Id,
            partition = AreasPartition,
            country = area.Country,
            latitudeCell = area.LatitudeCell,
            longitudeCell = area.LongitudeCell,
        });
        using var response = await containers.Context.CreateItemStreamAsync(new MemoryStream(json), new PartitionKey(AreasPartition), cancellationToken: cancellationToken);
        if (response.StatusCode != HttpStatusCode.Conflict) CosmosFeeds.EnsureSuccess(response, "add a forecast area");
        _knownAreas.TryAdd(area, true);
    }

    public async Task<IReadOnlyList<AreaPollen>> ReadAsync(LocalDate date, CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        var partition = PollenPartition(date);
        var query = new QueryDefinition("SELECT * FROM c WHERE c.partition = @partition").WithParameter("@partition", partition);
        var forecasts = new List<AreaPollen>();
        await foreach (var item in CosmosFeeds.QueryPartitionAsync(containers.Context, query, partition, cancellationToken))
        {
            forecasts.Add(new AreaPollen(
                item.GetProperty("id").GetString()!,
                date,
                item.GetProperty("provider").GetString()!,
                Enum.Parse<ForecastStatus>(item.GetProperty("status").GetString()!),
                PollenLevelsJson.Parse(item.GetProperty("levels").GetRawText()),
                item.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String ? reason.GetString() : null,
                InstantPattern.ExtendedIso.Parse(item.GetProperty("fetchedAt").GetString()!).GetValueOrThrow()));
        }

        return forecasts;
    }

    public async Task SaveAsync(IReadOnlyCollection<AreaPollen> forecasts, CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        await Parallel.ForEachAsync(forecasts,
            new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrentOperations, CancellationToken = cancellationToken },
            async (forecast, token) =>
            {
                var partition = PollenPartition(forecast.Date);
                var json = JsonSerializer.SerializeToUtf8Bytes(new
                {
                    id = forecast.AreaId,
                    partition,
                    provider = forecast.Provider,
                    status = forecast.Status.ToString(),
                    levels = PollenLevelsJson.Ordered(forecast.Levels),
                    reason = forecast.Reason,
                    fetchedAt = InstantPattern.ExtendedIso.Format(forecast.FetchedAt),
                    ttl = RetentionSeconds,
                });
                using var response = await containers.Context.UpsertItemStreamAsync(new MemoryStream(json), new PartitionKey(partition), cancellationToken: token);
                CosmosFeeds.EnsureSuccess(response, "save a pollen forecast");
            });
    }

    private static string PollenPartition(LocalDate date) => "pollen:" + LocalDatePattern.Iso.Format(date);
}
