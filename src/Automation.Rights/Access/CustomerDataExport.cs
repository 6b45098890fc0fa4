using System.Text.Json;
using Automation.Messages;
using Automation.Profiles.Identifiers;
using Automation.Profiles.Serialization;
using Automation.Profiles.Storage;
using NodaTime;
using NodaTime.Text;

namespace Automation.Rights.Access;

/// <summary>
/// Everything held about one customer as one JSON document (GDPR Art. 15 and 20): the profile with its
/// consent registers and their sources, every transaction line recorded with the export and line it
/// came from, and every message with its decision, reason and the provider's reports. docs/privacy.md
/// describes the format. Written as it is read: a customer with years of history does not sit in memory.
/// </summary>
public sealed class CustomerDataExport(ICustomerProfileStore profiles, ICustomerLines lines, IMessageLog messages, IClock clock)
{
    public const string Format = "automation-customer-data/1";

    /// <summary>Writes the document; <c>false</c> (and nothing written) when the store holds no such customer.</summary>
    public async Task<bool> WriteAsync(string customerId, Stream output, CancellationToken cancellationToken = default)
    {
        if (await profiles.GetAsync(customerId, cancellationToken) is not { } profile) return false;
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("format", Format);
        json.WriteString("customerId", customerId);
        json.WriteString("exportedAt", InstantPattern.ExtendedIso.Format(clock.GetCurrentInstant()));
        json.WritePropertyName("profile");
        ProfileJson.Write(json, profile);

        json.WriteStartArray("transactionLines");
        await foreach (var line in lines.ReadLinesAsync(customerId, cancellationToken))
        {
            json.WriteStartObject();
            json.WriteString("transactionId", line.TransactionId);
            json.WriteString("line", line.Line);
            json.WriteString("category", line.Category);
            json.WriteStartObject("source");
            json.WriteString("export", line.Source.FileId);
            json.WriteNumber("line", line.Source.Line);
            json.WriteEndObject();
            json.WriteEndObject();
            if (json.BytesPending > 64 * 1024) await json.FlushAsync(cancellationToken);
        }

        json.WriteEndArray();
        json.WriteStartArray("messages");
        foreach (var message in await messages.GetCustomerMessagesAsync(new CustomerId(customerId), cancellationToken)) Write(json, message);
        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
        return true;
    }

    private static void Write(Utf8JsonWriter json, MessageRecord message)
    {
        json.WriteStartObject();
        json.WriteString("messageId", message.MessageId.Value);
        json.WriteString("trigger", message.Trigger.Value);
        json.WriteString("occasion", message.OccasionKey);
        json.WriteString("plannedFor", LocalDatePattern.Iso.Format(message.PlannedFor));
        json.WriteString("sendAt", message.SendAt is { } at ? InstantPattern.ExtendedIso.Format(at) : null);
        json.WriteString("status", message.Status.Name());
        json.WriteString("reasonCode", message.ReasonCode?.Value);
        json.WriteString("reason", message.Reason);
        json.WriteString("detail", message.Detail);
        json.WriteString("decidedAt", InstantPattern.ExtendedIso.Format(message.DecidedAt));
        json.WriteString("updatedAt", InstantPattern.ExtendedIso.Format(message.UpdatedAt));
        json.WriteStartObject("data");
        foreach (var (key, value) in message.Data) json.WriteString(key, value);
        json.WriteEndObject();
        json.WritePropertyName("events");
        MessageEventJson.Write(json, message.Events);
        json.WriteEndObject();
    }
}
