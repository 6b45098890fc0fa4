using NodaTime;
using SendGrid.Helpers.Mail;
using MailPersonalization = SendGrid.Helpers.Mail.Personalization;

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

    /// <summary>The request as SendGrid's mail-send types, serialised by SendGrid's client library.</summary>
    public SendGridMessage Build(SendGridSettings settings)
    {
        var message = new SendGridMessage
        {
            From = new EmailAddress(settings.FromEmail, settings.FromName),
            Personalizations = Messages.Select(outgoing => PersonalizationOf(outgoing.Message)).ToList(),
            Categories = [Messages[0].Message.Trigger],
            SendAt = sendAt?.ToUnixTimeSeconds(),
        };
        if (settings.UnsubscribeGroupId is { } group) message.Asm = new ASM { GroupId = group };
        if (settings.SandboxMode) message.MailSettings = new MailSettings { SandboxMode = new SandboxMode { Enable = true } };
        if (templateId is not null)
        {
            message.TemplateId = templateId;
        }
        else
        {
            var rendered = Messages[0].Message;
            message.Subject = rendered.Subject;
            // The API wants text/plain before text/html.
            message.Contents = [new Content("text/plain", rendered.Text), new Content("text/html", rendered.Html)];
        }

        return message;
    }

    private MailPersonalization PersonalizationOf(Personalization.RenderedMessage message) => new()
    {
        Tos = [new EmailAddress(message.ToAddress, message.ToName)],
        CustomArgs = new Dictionary<string, string> { [MessageIdArgument] = message.MessageId.Value },
        // RFC 2369 and RFC 8058: the mail client's unsubscribe button, one click, per recipient.
        Headers = new Dictionary<string, string>
        {
            ["List-Unsubscribe"] = $"<{message.UnsubscribeUrl}>",
            ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
        },
        TemplateData = templateId is null ? null : message.TemplateData,
    };
}
