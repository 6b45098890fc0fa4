using System.Text.Json;
using Automation.Planning.Messages;
using NodaTime;
using NodaTime.Text;

namespace Automation.Storage.Cosmos.Documents;

/// <summary>
/// The profile document's <c>messages</c> object: per message id, what planning needs of it (never
/// twice, cooldowns, caps). The message log keeps it with a patch per decision, so the daily plan gets
/// every customer's history with the profile, from one change feed, without a query per customer.
/// </summary>
internal static class MessageIndex
{
    public const string Property = "messages";

    /// <summary>The patch path of one entry; message ids are "m" and hex digits, safe in a JSON pointer.</summary>
    public static string PathOf(string messageId) => $"/{Property}/{messageId}";

    /// <summary>An entry as the SDK's serializer writes a patch value.</summary>
    public static Dictionary<string, object?> Entry(MessageRecord record) => new()
    {
        ["trigger"] = record.Trigger,
        ["cooldownKey"] = record.CooldownKey,
        ["plannedFor"] = LocalDatePattern.Iso.Format(record.PlannedFor),
        ["status"] = record.Status.Name(),
        ["reasonCode"] = record.ReasonCode,
        ["decidedAt"] = InstantPattern.ExtendedIso.Format(record.DecidedAt),
    };

    /// <summary>Whether a decision for this customer was recorded after <paramref name="since"/>.</summary>
    public static bool HasDecisionAfter(JsonElement document, Instant since)
    {
        if (!document.TryGetProperty(Property, out var messages) || messages.ValueKind != JsonValueKind.Object) return false;
        foreach (var message in messages.EnumerateObject())
        {
            if (message.Value.TryGetProperty("decidedAt", out var decided)
                && InstantPattern.ExtendedIso.Parse(decided.GetString()!) is { Success: true } at && at.Value > since) return true;
        }

        return false;
    }

    public static IReadOnlyList<MessageHistoryEntry> Read(JsonElement document)
    {
        if (!document.TryGetProperty(Property, out var messages) || messages.ValueKind != JsonValueKind.Object) return [];
        var entries = new List<MessageHistoryEntry>();
        foreach (var message in messages.EnumerateObject()) entries.Add(ReadEntry(message.Name, message.Value));
        return entries;
    }

    public static MessageHistoryEntry ReadEntry(string messageId, JsonElement entry) => new(
        messageId,
        entry.GetProperty("trigger").GetString()!,
        entry.TryGetProperty("cooldownKey", out var cooldown) ? cooldown.GetString() : null,
        PlannedFor(entry),
        MessageStatuses.Parse(entry.GetProperty("status").GetString()!),
        entry.TryGetProperty("reasonCode", out var reason) ? reason.GetString() : null);

    public static LocalDate PlannedFor(JsonElement entry) => LocalDatePattern.Iso.Parse(entry.GetProperty("plannedFor").GetString()!).GetValueOrThrow();
}
