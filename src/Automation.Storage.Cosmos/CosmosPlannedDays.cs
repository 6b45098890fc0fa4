using System.Text.Json;
using Automation.Planning.Days;
using NodaTime;
using NodaTime.Text;

namespace Automation.Storage.Cosmos;

/// <summary>
/// The planned days in one document of the <c>ingestions</c> container (a point read before each
/// plan), as a map from day to when it was planned. A day a year keeps it small for decades; it never
/// expires (ttl −1). A day planned range by range keeps its finished ranges there until the last one.
/// </summary>
public sealed class CosmosPlannedDays(CosmosContainers containers) : IPlannedDays
{
    private const string DocumentId = "planned-days";

    public async Task<IReadOnlyCollection<LocalDate>> ReadAsync(CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        var stored = await CosmosFeeds.ReadAsync(containers.Ingestions, DocumentId, DocumentId, cancellationToken);
        return Parse(stored).Days.Keys.Select(day => LocalDatePattern.Iso.Parse(day).GetValueOrThrow()).ToHashSet();
    }

    public Task MarkAsync(LocalDate day, Instant at, CancellationToken cancellationToken = default) =>
        UpdateAsync(document => document.Days[LocalDatePattern.Iso.Format(day)] = InstantPattern.ExtendedIso.Format(at), cancellationToken);

    public Task MarkRangeAsync(LocalDate day, string range, int ranges, Instant at, CancellationToken cancellationToken = default) =>
        UpdateAsync(document =>
        {
            var key = LocalDatePattern.Iso.Format(day);
            if (document.Days.ContainsKey(key)) return;
            if (!document.Ranges.TryGetValue(key, out var done)) document.Ranges[key] = done = new SortedSet<string>(StringComparer.Ordinal);
            done.Add(range);
            if (done.Count < ranges) return;
            document.Days[key] = InstantPattern.ExtendedIso.Format(at);
            document.Ranges.Remove(key);
        }, cancellationToken);

    /// <summary>Under the document's ETag: ranges of one day finishing at once each see the others'.</summary>
    private async Task UpdateAsync(Action<Planned> change, CancellationToken cancellationToken)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        await CosmosFeeds.UpdateAsync(containers.Ingestions, DocumentId, stored =>
        {
            var document = Parse(stored);
            change(document);
            return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
            {
                ["id"] = DocumentId, ["ttl"] = -1, ["days"] = document.Days, ["ranges"] = document.Ranges,
            });
        }, "record a planned day", cancellationToken);
    }

    private sealed record Planned(SortedDictionary<string, string> Days, SortedDictionary<string, SortedSet<string>> Ranges);

    private static Planned Parse(StoredDocument? stored)
    {
        var planned = new Planned(new SortedDictionary<string, string>(StringComparer.Ordinal), new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal));
        if (stored is null) return planned;
        using var document = JsonDocument.Parse(stored.Json);
        foreach (var day in document.RootElement.GetProperty("days").EnumerateObject()) planned.Days[day.Name] = day.Value.GetString()!;
        if (document.RootElement.TryGetProperty("ranges", out var ranges))
        {
            foreach (var day in ranges.EnumerateObject())
            {
                planned.Ranges[day.Name] = new SortedSet<string>(day.Value.EnumerateArray().Select(r => r.GetString()!), StringComparer.Ordinal);
            }
        }

        return planned;
    }
}
