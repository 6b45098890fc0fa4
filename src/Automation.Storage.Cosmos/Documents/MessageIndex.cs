using System.Text.Json;
using Automation.Messages;
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
    public static string PathOf(MessageId messageId) => $"/{Property}/{messageId}";

    /// <summary>An entry as the SDK's serializer (Newtonsoft.Json, which knows nothing of our ids) writes a patch value.</summary>
    public static Dictionary<string, object?> Entry(MessageRecord record) => new()
    {
        ["trigger"] = record.Trigger.Value,
        ["cooldownKey"] = record.CooldownKey,
        ["plannedFor"] = LocalDatePattern.Iso.Format(record.PlannedFor),
        ["status"] = record.Status.Name(),
        ["reasonCode"] = record.ReasonCode?.Value,
        ["decidedAt"] = InstantPattern.ExtendedIso.Format(record.DecidedAt),
        ["sendAt"] = record.SendAt is { } sendAt ? InstantPattern.ExtendedIso.Format(sendAt) : null,
        ["reported"] = (int)ReportedEventFlags.Of(record.Events),
    };

    /// <summary>
    /// The customer's history from the profile document, or null when a decision for the customer was
    /// recorded after <paramref name="since"/>. One pass over the index: this runs for every profile of a plan.
    /// </summary>
    public static IReadOnlyList<MessageHistoryEntry>? ReadUnlessDecidedAfter(JsonElement document, Instant since)
    {
        if (!document.TryGetProperty(Property, out var messages) || messages.ValueKind != JsonValueKind.Object) return [];
        var entries = new List<MessageHistoryEntry>();
        foreach (var message in messages.EnumerateObject())
        {
            var entry = message.Value;
            if (entry.TryGetProperty("decidedAt", out var decided)
                && InstantPattern.ExtendedIso.Parse(decided.GetString()!) is { Success: true } at && at.Value > since) return null;
            entries.Add(new MessageHistoryEntry(
                new MessageId(message.Name),
                new TriggerName(entry.GetProperty("trigger").GetString()!),
                entry.TryGetProperty("cooldownKey", out var cooldown) ? cooldown.GetString() : null,
                PlannedFor(entry),
                MessageStatuses.Parse(entry.GetProperty("status").GetString()!),
                entry.TryGetProperty("reasonCode", out var reason) && reason.GetString() is { } code ? new ReasonCode(code) : null,
                entry.TryGetProperty("sendAt", out var sendAt) && sendAt.GetString() is { } sendText ? InstantPattern.ExtendedIso.Parse(sendText).GetValueOrThrow() : null,
                entry.TryGetProperty("reported", out var reported) ? (ReportedEvents)reported.GetInt32() : ReportedEvents.None));
        }

        return entries;
    }

    public static LocalDate PlannedFor(JsonElement entry) => LocalDatePattern.Iso.Parse(entry.GetProperty("plannedFor").GetString()!).GetValueOrThrow();
}
