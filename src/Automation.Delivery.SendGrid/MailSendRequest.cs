using System.Buffers;
using System.Text.Json;
using NodaTime;

namespace Automation.Delivery.SendGrid;

/// <summary>
/// One POST /v3/mail/send body: messages of one trigger, one template and one send time, one
/// personalization (one recipient) each. Index i of <see cref="Messages"/> is personalizations[i],
/// which is how a 400 naming <c>personalizations.3.to.0.email</c> points at its message.
/// </summary>
internal sealed class MailSendRequest(IReadOnlyList<OutgoingMessage> messages, string? templateId, Instant? sendAt)
{
    /// <summary>The custom_args key carrying our message id back in every event; never anything personal.</summary>
    public const string MessageIdArgument = "automation_message_id";

    public IReadOnlyList<OutgoingMessage> Messages { get; } = messages;

    public MailSendRequest With(IReadOnlyList<OutgoingMessage> subset) => new(subset, templateId, sendAt);

    /// <summary>
    /// Groups a delivery batch into requests. Locally rendered content is per message (the API has one
    /// content per request), so each such message is its own request; dynamic-template messages share a
    /// request up to the recipient limit, each address at most once per request.
    /// </summary>
    public static IEnumerable<MailSendRequest> Plan(IReadOnlyList<OutgoingMessage> batch, SendGridSettings settings, Instant now)
    {
        var open = new Dictionary<(string Trigger, string? TemplateId, Instant? SendAt), List<(List<OutgoingMessage> Messages, HashSet<string> Addresses)>>();
        foreach (var outgoing in batch)
        {
            var templateId = settings.TemplateIds.GetValueOrDefault(outgoing.Message.Trigger);
            Instant? sendAt = outgoing.SendAt > now ? Instant.FromUnixTimeSeconds(outgoing.SendAt.ToUnixTimeSeconds()) : null;
            if (templateId is null)
            {
                yield return new MailSendRequest([outgoing], null, sendAt);
                continue;
            }

            var key = (outgoing.Message.Trigger, templateId, sendAt);
            if (!open.TryGetValue(key, out var requests)) open[key] = requests = [];
            var address = outgoing.Message.ToAddress.ToLowerInvariant();
            var request = requests.FirstOrDefault(r => r.Messages.Count < settings.MaxRecipientsPerRequest && !r.Addresses.Contains(address));
            if (request.Messages is null)
            {
                request = ([], new HashSet<string>(StringComparer.Ordinal));
                requests.Add(request);
            }

            request.Messages.Add(outgoing);
            request.Addresses.Add(address);
            if (request.Messages.Count == settings.MaxRecipientsPerRequest)
            {
                requests.Remove(request);
                yield return new MailSendRequest(request.Messages, templateId, sendAt);
            }
        }

        foreach (var ((_, templateId, sendAt), requests) in open)
        {
            foreach (var request in requests) yield return new MailSendRequest(request.Messages, templateId, sendAt);
        }
    }

    public ReadOnlyMemory<byte> Write(SendGridSettings settings)
    {
        var buffer = new ArrayBufferWriter<byte>(1024 * Messages.Count);
        using var writer = new Utf8JsonWriter(buffer);
        writer.WriteStartObject();
        writer.WriteStartArray("personalizations");
        foreach (var outgoing in Messages) WritePersonalization(writer, outgoing.Message);
        writer.WriteEndArray();

        writer.WriteStartObject("from");
        writer.WriteString("email", settings.FromEmail);
        if (settings.FromName is { } fromName) writer.WriteString("name", fromName);
        writer.WriteEndObject();

        if (templateId is not null)
        {
            writer.WriteString("template_id", templateId);
        }
        else
        {
            var message = Messages[0].Message;
            writer.WriteString("subject", message.Subject);
            writer.WriteStartArray("content");
            // The API wants text/plain before text/html.
            WriteContent(writer, "text/plain", message.Text);
            WriteContent(writer, "text/html", message.Html);
            writer.WriteEndArray();
        }

        writer.WriteStartArray("categories");
        writer.WriteStringValue(Messages[0].Message.Trigger);
        writer.WriteEndArray();
        if (settings.UnsubscribeGroupId is { } group)
        {
            writer.WriteStartObject("asm");
            writer.WriteNumber("group_id", group);
            writer.WriteEndObject();
        }

        if (sendAt is { } at) writer.WriteNumber("send_at", at.ToUnixTimeSeconds());
        if (settings.SandboxMode)
        {
            writer.WriteStartObject("mail_settings");
            writer.WriteStartObject("sandbox_mode");
            writer.WriteBoolean("enable", true);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.Flush();
        return buffer.WrittenMemory;
    }

    private void WritePersonalization(Utf8JsonWriter writer, Personalization.RenderedMessage message)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("to");
        writer.WriteStartObject();
        writer.WriteString("email", message.ToAddress);
        if (message.ToName is { } name) writer.WriteString("name", name);
        writer.WriteEndObject();
        writer.WriteEndArray();

        writer.WriteStartObject("custom_args");
        writer.WriteString(MessageIdArgument, message.MessageId);
        writer.WriteEndObject();

        // RFC 2369 and RFC 8058: the mail client's unsubscribe button, one click, per recipient.
        writer.WriteStartObject("headers");
        writer.WriteString("List-Unsubscribe", $"<{message.UnsubscribeUrl}>");
        writer.WriteString("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        writer.WriteEndObject();

        if (templateId is not null)
        {
            writer.WritePropertyName("dynamic_template_data");
            writer.WriteStartObject();
            foreach (var (key, value) in message.TemplateData)
            {
                writer.WritePropertyName(key);
                JsonSerializer.Serialize(writer, value, value.GetType());
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteContent(Utf8JsonWriter writer, string type, string value)
    {
        writer.WriteStartObject();
        writer.WriteString("type", type);
        writer.WriteString("value", value);
        writer.WriteEndObject();
    }
}
