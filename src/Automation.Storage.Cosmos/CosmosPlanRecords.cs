using System.Text.Json;
using Automation.Planning.Days;
using NodaTime;
using NodaTime.Text;

namespace Automation.Storage.Cosmos;

/// <summary>
/// The plans recorded per day: one small document per day in the ingestions container
/// (<c>plan-&lt;day&gt;</c>, its passes under their keys), replaced under its ETag so ranges finishing at
/// once each keep the others'; one point read gives the console a day's plan. It expires with the
/// message log (<see cref="CosmosStoreSettings.MessageRetentionDays"/>).
/// </summary>
public sealed class CosmosPlanRecords(CosmosContainers containers, CosmosStoreSettings settings) : IPlanRecords
{
    public async Task SaveAsync(LocalDate day, string pass, PlanRecord record, CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        var id = IdOf(day);
        await CosmosFeeds.UpdateAsync(containers.Ingestions, id, stored =>
        {
            var passes = Parse(stored);
            passes[pass] = record;
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("id", id);
                writer.WriteNumber("ttl", settings.MessageRetentionDays * 86_400);
                writer.WriteStartObject("passes");
                foreach (var (key, value) in passes)
                {
                    writer.WritePropertyName(key);
                    PlanRecordJson.Write(writer, value);
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            return buffer.WrittenMemory;
        }, "record a day's plan", cancellationToken);
    }

    public async Task<PlanRecord?> ReadAsync(LocalDate day, CancellationToken cancellationToken = default)
    {
        await containers.EnsureReadyAsync(cancellationToken);
        var stored = await CosmosFeeds.ReadAsync(containers.Ingestions, IdOf(day), IdOf(day), cancellationToken);
        if (stored is null) return null;
        var total = new PlanRecord();
        foreach (var record in Parse(stored).Values) total.Add(record);
        return total;
    }

    private static string IdOf(LocalDate day) => $"plan-{LocalDatePattern.Iso.Format(day)}";

    private static SortedDictionary<string, PlanRecord> Parse(StoredDocument? stored)
    {
        var passes = new SortedDictionary<string, PlanRecord>(StringComparer.Ordinal);
        if (stored is null) return passes;
        using var document = JsonDocument.Parse(stored.Json);
        foreach (var pass in document.RootElement.GetProperty("passes").EnumerateObject()) passes[pass.Name] = PlanRecordJson.Read(pass.Value);
        return passes;
    }
}
