using System.Text.Json;
using Automation.Planning.Days;
using NodaTime;
using NodaTime.Text;

namespace Automation.Storage.Cosmos;

/// <summary>
/// The planned days in one document of the <c>ingestions</c> container (a point read before each
/// plan), as a map from day to when it was planned. A day a year keeps it small for decades; it never
/// expires (ttl −1).
/// </summary>
public sealed class CosmosPlannedDays(CosmosContainers containers) : IPlannedDays
{
    private const string DocumentId = "planned-days";

    public async Task<IReadOnlyCollection<LocalDate>> ReadAsync(CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        var stored = await CosmosFeeds.ReadAsync(containers.Ingestions, DocumentId, DocumentId, cancellationToken);
        return Parse(stored).Keys.Select(day => LocalDatePattern.Iso.Parse(day).GetValueOrThrow()).ToHashSet();
    }

    public async Task MarkAsync(LocalDate day, Instant at, CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        await CosmosFeeds.UpdateAsync(containers.Ingestions, DocumentId, stored =>
        {
            var days = Parse(stored);
            days[LocalDatePattern.Iso.Format(day)] = InstantPattern.ExtendedIso.Format(at);
            return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["id"] = DocumentId, ["ttl"] = -1, ["days"] = days });
        }, "record a planned day", cancellationToken);
    }

    private static SortedDictionary<string, string> Parse(StoredDocument? stored)
    {
        var days = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (stored is null) return days;
        using var document = JsonDocument.Parse(stored.Json);
        foreach (var day in document.RootElement.GetProperty("days").EnumerateObject()) days[day.Name] = day.Value.GetString()!;
        return days;
    }
}
