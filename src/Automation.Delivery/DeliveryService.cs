using Automation.Profiles.Identifiers;
using Automation.Delivery.Feedback;
using Automation.Personalization;
using Automation.Personalization.Templates;
using Automation.Planning.Mailboxes;
using Automation.Messages;
using Automation.Planning.Policies;
using Automation.Planning.Settings;
using Automation.Profiles.Mailboxes;
using Automation.Profiles.Model;
using NodaTime.Text;
using Automation.Planning.Triggers;
using Automation.Profiles.Storage;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace Automation.Delivery;

/// <summary>Names one message for a point read: messages are partitioned by customer.</summary>
public sealed record MessageKey(CustomerId CustomerId, MessageId MessageId);

public sealed class DeliverySummary
{
    public long Sent { get; internal set; }
    /// <summary>Not taken by the channel; the next run tries again.</summary>
    public long Failed { get; internal set; }
    /// <summary>Refused for good by the channel (say, an invalid address); never tried again.</summary>
    public long Rejected { get; internal set; }
    /// <summary>Outcome unseen (an interrupted run, a timeout mid-request); not resent automatically.</summary>
    public long Unknown { get; internal set; }
    /// <summary>Being sent by another run right now.</summary>
    public long InFlight { get; internal set; }
    /// <summary>Due further ahead than the channel can schedule; they wait in our queue.</summary>
    public long Waiting { get; internal set; }
    /// <summary>Requests made to the provider (retries and splits included).</summary>
    public long ProviderRequests { get; internal set; }
    public SortedDictionary<string, long> Suppressed { get; } = new(StringComparer.Ordinal);
    /// <summary>Consents exports not completely ingested: while there are any, nothing is delivered.</summary>
    public IReadOnlyList<IncompleteConsentsExport> BlockedBy { get; internal set; } = [];

    /// <summary>Requests per 1,000 messages handed over; how well batching works.</summary>
    public double? RequestsPerThousand => Sent + Rejected + Unknown + Failed is var handed and > 0 ? ProviderRequests * 1000.0 / handed : null;
}

/// <summary>
/// Delivers what planning scheduled: for each planned (or previously failed) message, reads the profile,
/// checks contactability again (an opt-out since planning wins), claims the address's day again with the
/// address the customer has now (one message per address a day, even when the address became shared
/// after the plan), renders, and hands it to the sender
/// in batches, which reports through a journal: sending before each hand-over, then sent, failed,
/// rejected or unknown. A message a crash left "sending" becomes "unknown" and is never resent by itself.
/// </summary>
public sealed class DeliveryService(
    IMessageLog messageLog,
    ICustomerProfileStore profiles,
    IConsentsGate consentsGate,
    MessageRenderer renderer,
    IMessageSender sender,
    DeliverySettings settings,
    PlanningSettings planning,
    AddressSupport addresses,
    IMailboxes mailboxes,
    IClock clock,
    DeliveryTelemetry? telemetry = null,
    ILogger<DeliveryService>? logger = null)
{
    /// <summary>
    /// Delivers everything awaiting delivery for days up to <paramref name="through"/>. Cancelling
    /// <paramref name="stopBetweenBatches"/> ends the run before the next batch is handed over, never
    /// during one, so a service asked to stop leaves no message half-sent; cancelling
    /// <paramref name="cancellationToken"/> stops at once.
    /// </summary>
    public Task<DeliverySummary> DeliverAsync(LocalDate through, CancellationToken cancellationToken = default, CancellationToken stopBetweenBatches = default) =>
        DeliverAsync(messageLog.ReadUndeliveredAsync(through, cancellationToken), cancellationToken, stopBetweenBatches);

    /// <summary>
    /// Delivers the given messages that still await delivery: a batch a queue handed to this worker,
    /// perhaps a second time, in which case what was sent already is passed over.
    /// </summary>
    public Task<DeliverySummary> DeliverAsync(IReadOnlyList<MessageKey> messages, CancellationToken cancellationToken = default, CancellationToken stopBetweenBatches = default) =>
        DeliverAsync(ReadAwaitingAsync(messages, cancellationToken), cancellationToken, stopBetweenBatches);

    /// <summary>
    /// True when a plan hands the message to delivery at once (a work item of the scaled-out plan):
    /// it is due, or the sender can hold it until it is. A message the plan hands over is left to that
    /// work item; <see cref="DeliverWaitingAsync"/> takes the others when they fall due.
    /// </summary>
    public bool HandedOverAtPlan(Instant sendAt, Instant decidedAt) => sender.SchedulingHorizon is not { } horizon || sendAt <= decidedAt + horizon;

    /// <summary>
    /// Delivers, for the days from <paramref name="from"/> through <paramref name="through"/>, the
    /// planned messages no plan handed over (<see cref="HandedOverAtPlan"/>) that are now due, and the
    /// failed ones once they have been left alone for <see cref="DeliverySettings.SendingTimeout"/>: what
    /// a host whose plan hands messages over in work items runs every few minutes.
    /// </summary>
    public Task<DeliverySummary> DeliverWaitingAsync(LocalDate from, LocalDate through, CancellationToken cancellationToken = default) =>
        DeliverAsync(ReadWaitingAsync(from, through, cancellationToken), cancellationToken, default);

    private async IAsyncEnumerable<MessageRecord> ReadWaitingAsync(LocalDate from, LocalDate through, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var now = clock.GetCurrentInstant();
        await foreach (var record in messageLog.ReadUndeliveredAsync(through, cancellationToken))
        {
            if (record.PlannedFor < from) continue;
            // A failed send is left alone for SendingTimeout first: the queue may still hand its batch to a
            // worker again, and two workers must never hold the same message.
            var failedAndSettled = record.Status == MessageStatus.Failed && now - record.UpdatedAt >= settings.SendingTimeout;
            if (failedAndSettled || (record.Status == MessageStatus.Planned && !HandedOverAtPlan(record.SendAt ?? record.DecidedAt, record.DecidedAt))) yield return record;
        }
    }

    private async IAsyncEnumerable<MessageRecord> ReadAwaitingAsync(IReadOnlyList<MessageKey> messages, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var key in messages)
        {
            if (await messageLog.GetAsync(key.CustomerId, key.MessageId, cancellationToken) is { } record && record.Status.AwaitsDelivery()) yield return record;
        }
    }

    private async Task<DeliverySummary> DeliverAsync(IAsyncEnumerable<MessageRecord> records, CancellationToken cancellationToken, CancellationToken stopBetweenBatches)
    {
        using var activity = DeliveryTelemetry.Activities.StartActivity("deliver");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var summary = await DeliverCoreAsync(records, cancellationToken, stopBetweenBatches);
        activity?.SetTag("automation.delivery.sent", summary.Sent).SetTag("automation.delivery.failed", summary.Failed).SetTag("automation.delivery.unknown", summary.Unknown);
        telemetry?.Delivered(summary, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return summary;
    }

    private async Task<DeliverySummary> DeliverCoreAsync(IAsyncEnumerable<MessageRecord> records, CancellationToken cancellationToken, CancellationToken stopBetweenBatches)
    {
        _ = renderer.Catalog;
        var summary = new DeliverySummary { BlockedBy = await consentsGate.IncompleteAsync(cancellationToken) };
        if (summary.BlockedBy.Count > 0) return summary;
        var started = clock.GetCurrentInstant();
        var batch = new List<(MessageRecord Record, OutgoingMessage Outgoing)>(settings.BatchSize);
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            // The batch being filled is not marked sending yet: left unsent, it waits for the next run.
            if (stopBetweenBatches.IsCancellationRequested) return summary;
            if (record.Status == MessageStatus.Sending)
            {
                await SettleInterruptedAsync(record, started, summary, cancellationToken);
                continue;
            }

            if (sender.SchedulingHorizon is { } horizon && record.SendAt > started + horizon)
            {
                summary.Waiting++;
                continue;
            }

            if (await PrepareAsync(record, summary, cancellationToken) is { } outgoing) batch.Add((record, outgoing));
            if (batch.Count >= settings.BatchSize) await SendAsync(batch, summary, cancellationToken);
        }

        if (batch.Count > 0) await SendAsync(batch, summary, cancellationToken);
        return summary;
    }

    /// <summary>
    /// A provider without an idempotency key may or may not have a message whose run died mid-request:
    /// resending risks a second email, so it is marked unknown for a person to check.
    /// </summary>
    private async Task SettleInterruptedAsync(MessageRecord record, Instant now, DeliverySummary summary, CancellationToken cancellationToken)
    {
        if (now - record.UpdatedAt < settings.SendingTimeout)
        {
            summary.InFlight++;
            return;
        }

        await messageLog.UpdateStatusAsync(record, MessageStatus.Unknown, null,
            "a delivery run stopped while sending it; not resent automatically: check the provider's activity log", now, cancellationToken);
        summary.Unknown++;
    }

    private async Task<OutgoingMessage?> PrepareAsync(MessageRecord record, DeliverySummary summary, CancellationToken cancellationToken)
    {
        var profile = await profiles.GetAsync(record.CustomerId.Value, cancellationToken);
        var block = profile is null ? (ReasonCodes.NoEmail, "the profile no longer exists") : Contactability.Check(profile, addresses) ?? TopicPreferences.Check(profile, record.Trigger.Value) ?? WindowClosed(record, profile);
        block ??= await mailboxes.ClaimAsync(MailboxKeys.Of(profile!.Email)!, record.PlannedFor, record.MessageId.Value, record.CustomerId.Value, cancellationToken);
        if (block is var (code, detail))
        {
            await SuppressAsync(record, code, detail, summary, cancellationToken);
            return null;
        }

        try
        {
            var candidate = new TriggerCandidate(record.Trigger.Value, record.OccasionKey, record.Reason, record.Data, CooldownKey: record.CooldownKey);
            var rendered = renderer.Render(profile!, candidate, record.MessageId);
            return new OutgoingMessage(rendered, record.SendAt ?? clock.GetCurrentInstant());
        }
        catch (MissingTemplateDataException ex)
        {
            await SuppressAsync(record, ReasonCodes.MissingData, ex.Message, summary, cancellationToken);
            return null;
        }
        catch (MissingUnsubscribeLinkException ex)
        {
            // Never sent without a way out. Rejected is final: the occasion's message id stays taken, so a later plan does not retry it.
            await messageLog.UpdateStatusAsync(record, MessageStatus.Rejected, ReasonCodes.NoUnsubscribeLink, ex.Message, clock.GetCurrentInstant(), cancellationToken);
            summary.Rejected++;
            return null;
        }
    }

    /// <summary>
    /// A message that waited past its day's send window (a retry the next day, a run that came late) is
    /// not sent: a birthday greeting a day late is the wrong message.
    /// </summary>
    private (ReasonCode Code, string Detail)? WindowClosed(MessageRecord record, CustomerProfile profile)
    {
        var window = planning.Policies.SendWindow;
        var zone = SendWindows.ZoneOf(profile, planning.Policies.DefaultTimeZone);
        var now = clock.GetCurrentInstant();
        if (SendWindows.Next(window, record.PlannedFor, zone, now) is not null) return null;
        return (ReasonCodes.SendWindowPassed,
            $"delivery came after the send window {window} of " +
            $"{LocalDatePattern.Iso.Format(record.PlannedFor)} in {zone.Id} closed ({SendWindows.LocalText(now, zone)} there); a day's message is not sent on another day");
    }

    private async Task SendAsync(List<(MessageRecord Record, OutgoingMessage Outgoing)> batch, DeliverySummary summary, CancellationToken cancellationToken)
    {
        var journal = new Journal(messageLog, clock, batch.ToDictionary(b => b.Record.MessageId, b => b.Record), summary, logger);
        summary.ProviderRequests += await sender.SendAsync(batch.Select(b => b.Outgoing).ToList(), journal, cancellationToken);
        batch.Clear();
    }

    private async Task SuppressAsync(MessageRecord record, ReasonCode code, string detail, DeliverySummary summary, CancellationToken cancellationToken)
    {
        await messageLog.UpdateStatusAsync(record, MessageStatus.Suppressed, code, detail, clock.GetCurrentInstant(), cancellationToken);
        summary.Suppressed[code.Value] = summary.Suppressed.GetValueOrDefault(code.Value) + 1;
    }

    /// <summary>Records a sender's reports in the message log, one batch's worth.</summary>
    private sealed class Journal(IMessageLog messageLog, IClock clock, Dictionary<MessageId, MessageRecord> records, DeliverySummary summary, ILogger? logger) : ISendJournal
    {
        private readonly HashSet<MessageId> _marked = [];

        public async Task SendingAsync(IEnumerable<OutgoingMessage> messages, CancellationToken cancellationToken = default)
        {
            var now = clock.GetCurrentInstant();
            foreach (var outgoing in messages)
            {
                if (!_marked.Add(outgoing.Message.MessageId)) continue;
                await messageLog.UpdateStatusAsync(records[outgoing.Message.MessageId], MessageStatus.Sending, null, null, now, cancellationToken);
            }
        }

        public async Task RecordAsync(IReadOnlyList<SendOutcome> outcomes, CancellationToken cancellationToken = default)
        {
            var now = clock.GetCurrentInstant();
            foreach (var outcome in outcomes)
            {
                var status = outcome.Result switch
                {
                    SendResult.Sent => MessageStatus.Sent,
                    SendResult.Failed => MessageStatus.Failed,
                    SendResult.Rejected => MessageStatus.Rejected,
                    _ => MessageStatus.Unknown,
                };
                // A sender's detail may quote the recipient (an exception, a provider's answer): never stored as it came.
                var detail = ProviderText.Masked(outcome.Detail);
                // As stored: a message marked before the request is sending now, which tells the log it is findable already.
                var record = records[outcome.MessageId];
                if (_marked.Contains(outcome.MessageId)) record = record with { Status = MessageStatus.Sending };
                await messageLog.UpdateStatusAsync(record, status, null, detail, now, cancellationToken);
                if (outcome.Result != SendResult.Sent && logger is not null)
                {
                    using var scope = logger.BeginScope(new Dictionary<string, object?> { ["MessageId"] = outcome.MessageId });
                    logger.LogWarning("Message {MessageId} {Status}: {Detail}", outcome.MessageId, status.ToString().ToLowerInvariant(), detail);
                }
                switch (outcome.Result)
                {
                    case SendResult.Sent: summary.Sent++; break;
                    case SendResult.Failed: summary.Failed++; break;
                    case SendResult.Rejected: summary.Rejected++; break;
                    default: summary.Unknown++; break;
                }
            }
        }
    }
}
