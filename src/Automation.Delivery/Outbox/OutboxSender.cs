using Automation.Messages;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using System.Text.Json;
using Automation.Personalization;
using Automation.Profiles.Identifiers;
using Automation.Profiles.Model;
using NodaTime;
using NodaTime.Text;

namespace Automation.Delivery.Outbox;

/// <summary>
/// Delivers into a folder: each message becomes <c>&lt;messageId&gt;.eml</c>, a standard RFC 5322
/// message (multipart/alternative, UTF-8) written by System.Net.Mail's pickup-directory delivery, which
/// any mail client opens; <c>index.jsonl</c> lists them. A message id already in the folder is not
/// written again, so a re-run after a crash adds nothing twice, which is why the outbox needs no
/// "sending" mark before it writes.
/// </summary>
public sealed class OutboxSender : IMessageSender, IDisposable
{
    public const string IndexFileName = "index.jsonl";
    private static readonly JsonSerializerOptions IndexJson = new(JsonSerializerDefaults.Web);
    private readonly string _directory;
    private readonly PersonalizationSettings _personalization;
    private HashSet<MessageId>? _indexed;
    // Writing and erasing in the same process (serve) take turns: an erasure rewrites the index.
    private readonly SemaphoreSlim _folder = new(1, 1);

    public OutboxSender(DeliverySettings settings, PersonalizationSettings personalization)
    {
        _directory = Path.GetFullPath(settings.OutboxDirectory);
        _personalization = personalization;
    }

    public string Directory => _directory;

    /// <summary>A folder cannot hold a message back: a message is written when it is due, not before.</summary>
    public Duration? SchedulingHorizon => Duration.Zero;

    /// <summary>A message to a local part beyond ASCII is written for SMTPUTF8 (RFC 6531/6532): UTF-8 headers, the address as it is.</summary>
    public static readonly AddressSupport SupportedAddresses = new("the outbox", NonAsciiLocalParts: true);

    public async Task<int> SendAsync(IReadOnlyList<OutgoingMessage> batch, ISendJournal journal, CancellationToken cancellationToken = default)
    {
        System.IO.Directory.CreateDirectory(_directory);
        var outcomes = new List<SendOutcome>(batch.Count);
        await _folder.WaitAsync(cancellationToken);
        try
        {
            _indexed ??= await ReadIndexAsync(cancellationToken);
            foreach (var outgoing in batch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    outcomes.Add(await WriteAsync(outgoing, cancellationToken));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // The folder, not the message: a later run may well succeed.
                    outcomes.Add(new SendOutcome(outgoing.Message.MessageId, SendResult.Failed, ex.Message));
                }
                catch (Exception ex) when (ex is SmtpException or FormatException)
                {
                    // The message itself cannot be written (an address System.Net.Mail refuses): trying again changes nothing.
                    outcomes.Add(new SendOutcome(outgoing.Message.MessageId, SendResult.Rejected, ex.Message));
                }
            }
        }
        finally
        {
            _folder.Release();
        }

        await journal.RecordAsync(outcomes, cancellationToken);
        return 0;
    }

    /// <summary>
    /// Erasure of a batch of customers: removes the copies of their mail, the files of the messages given
    /// per customer and of every index line naming one of them, and those lines. The index is rewritten
    /// once for the batch, beside itself, and moved into place. Returns, per customer, how many files went.
    /// </summary>
    public async Task<IReadOnlyDictionary<CustomerId, int>> ForgetAsync(
        IReadOnlyDictionary<CustomerId, IReadOnlyList<MessageId>> messagesByCustomer, CancellationToken cancellationToken = default)
    {
        var removed = messagesByCustomer.Keys.ToDictionary(c => c, _ => 0);
        if (!System.IO.Directory.Exists(_directory)) return removed;
        var forgotten = messagesByCustomer.ToDictionary(m => m.Key, m => m.Value.ToHashSet());
        await _folder.WaitAsync(cancellationToken);
        try
        {
            var index = Path.Combine(_directory, IndexFileName);
            if (File.Exists(index)) await RemoveIndexLinesAsync(index, forgotten, cancellationToken);
            foreach (var (customer, messages) in forgotten)
            {
                foreach (var id in messages)
                {
                    var path = Path.Combine(_directory, id.Value + ".eml");
                    if (!File.Exists(path)) continue;
                    File.Delete(path);
                    removed[customer]++;
                }
            }

            return removed;
        }
        finally
        {
            _folder.Release();
        }
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>Streams the index into a copy without the lines of the customers in <paramref name="forgotten"/>, adding those lines' message ids to their sets.</summary>
    private async Task RemoveIndexLinesAsync(string index, Dictionary<CustomerId, HashSet<MessageId>> forgotten, CancellationToken cancellationToken)
    {
        var kept = index + ".erasing";
        var removedAny = false;
        await using (var writer = new StreamWriter(kept, append: false, new UTF8Encoding(false)))
        {
            await foreach (var line in File.ReadLinesAsync(index, cancellationToken))
            {
                if (line.Length == 0) continue;
                using var entry = JsonDocument.Parse(line);
                if (entry.RootElement.TryGetProperty("customerId", out var customer) && customer.GetString() is { } customerId
                    && forgotten.TryGetValue(new CustomerId(customerId), out var messages))
                {
                    if (entry.RootElement.TryGetProperty("messageId", out var id) && id.GetString() is { } value) messages.Add(new MessageId(value));
                    removedAny = true;
                    continue;
                }

                await writer.WriteLineAsync(line.AsMemory(), cancellationToken);
            }
        }

        if (!removedAny)
        {
            File.Delete(kept);
            return;
        }

        File.Move(kept, index, overwrite: true);
        // What is indexed is only ever added to; a forgotten id that came again would be a new message of the log.
        foreach (var id in forgotten.Values.SelectMany(m => m)) _indexed?.Remove(id);
    }

    private async Task<SendOutcome> WriteAsync(OutgoingMessage outgoing, CancellationToken cancellationToken)
    {
        var message = outgoing.Message;
        var fileName = message.MessageId + ".eml";
        var path = Path.Combine(_directory, fileName);
        if (!File.Exists(path))
        {
            // System.Net.Mail names pickup files itself; a private folder per message lets us rename the one
            // file it writes, atomically, so the outbox never shows a half-written message.
            var staging = Path.Combine(_directory, ".staging", message.MessageId.Value);
            System.IO.Directory.CreateDirectory(staging);
            using (var mail = Compose(message, outgoing.SendAt))
            using (var client = new SmtpClient
                   {
                       DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory,
                       PickupDirectoryLocation = staging,
                       // Raw UTF-8 headers (RFC 6532) only where the address needs them: every other message keeps
                       // the encoded headers any mail system reads.
                       DeliveryFormat = EmailAddresses.HasAsciiLocalPart(message.ToAddress) ? SmtpDeliveryFormat.SevenBit : SmtpDeliveryFormat.International,
                   })
            {
                await client.SendMailAsync(mail, cancellationToken);
            }

            File.Move(System.IO.Directory.GetFiles(staging, "*.eml").Single(), path, overwrite: true);
            System.IO.Directory.Delete(staging, recursive: true);
        }

        if (_indexed!.Add(message.MessageId))
        {
            var entry = new
            {
                messageId = message.MessageId,
                customerId = message.CustomerId,
                trigger = message.Trigger,
                locale = message.Locale,
                sendAt = InstantPattern.General.Format(outgoing.SendAt),
                subject = message.Subject,
                file = fileName,
            };
            await File.AppendAllTextAsync(Path.Combine(_directory, IndexFileName), JsonSerializer.Serialize(entry, IndexJson) + "\n", cancellationToken);
        }

        return new SendOutcome(message.MessageId, SendResult.Sent, "outbox/" + fileName);
    }

    private MailMessage Compose(RenderedMessage message, Instant sendAt)
    {
        var from = new MailAddress(_personalization.FromAddress, _personalization.FromName, Encoding.UTF8);
        var mail = new MailMessage
        {
            From = from,
            Subject = message.Subject,
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
        };
        mail.To.Add(new MailAddress(message.ToAddress, message.ToName, Encoding.UTF8));
        mail.AlternateViews.Add(View(message.Text, MediaTypeNames.Text.Plain));
        mail.AlternateViews.Add(View(message.Html, MediaTypeNames.Text.Html));
        // RFC 2369 and RFC 8058: mail clients show an unsubscribe button and may use it in one click.
        mail.Headers.Add("List-Unsubscribe", $"<{message.UnsubscribeUrl}>");
        mail.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        mail.Headers.Add("Message-ID", $"<{message.MessageId}@{from.Host}>");
        mail.Headers.Add("Content-Language", message.Locale);
        mail.Headers.Add("X-Automation-Message-Id", message.MessageId.Value);
        mail.Headers.Add("X-Automation-Trigger", message.Trigger);
        mail.Headers.Add("X-Automation-Send-At", InstantPattern.General.Format(sendAt));
        return mail;
    }

    private static AlternateView View(string content, string mediaType)
    {
        var view = AlternateView.CreateAlternateViewFromString(content, Encoding.UTF8, mediaType);
        view.TransferEncoding = TransferEncoding.Base64;
        return view;
    }

    private async Task<HashSet<MessageId>> ReadIndexAsync(CancellationToken cancellationToken)
    {
        var ids = new HashSet<MessageId>();
        var index = Path.Combine(_directory, IndexFileName);
        if (!File.Exists(index)) return ids;
        await foreach (var line in File.ReadLinesAsync(index, cancellationToken))
        {
            if (line.Length == 0) continue;
            using var entry = JsonDocument.Parse(line);
            if (entry.RootElement.TryGetProperty("messageId", out var id) && id.GetString() is { } value) ids.Add(new MessageId(value));
        }

        return ids;
    }
}
