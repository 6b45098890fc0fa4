using Automation.Personalization;
using Automation.Personalization.Templates;
using Automation.Planning.Messages;
using Automation.Planning.Policies;
using Automation.Planning.Triggers;
using Automation.Profiles.Storage;
using NodaTime;

namespace Automation.Delivery;

public sealed class DeliverySummary
{
    public long Sent { get; internal set; }
    public long Failed { get; internal set; }
    public SortedDictionary<string, long> Suppressed { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Delivers what planning scheduled: for each planned (or previously failed) message, reads the profile,
/// checks contactability again (an opt-out since planning wins), renders, and hands it to the sender
/// in batches; then records sent, failed or suppressed.
/// </summary>
public sealed class DeliveryService(
    IMessageLog messageLog, ICustomerProfileStore profiles, MessageRenderer renderer, IMessageSender sender, DeliverySettings settings, IClock clock)
{
    public async Task<DeliverySummary> DeliverAsync(LocalDate through, CancellationToken cancellationToken = default)
    {
        _ = renderer.Catalog;
        var summary = new DeliverySummary();
        var batch = new List<(MessageRecord Record, OutgoingMessage Outgoing)>(settings.BatchSize);
        await foreach (var record in messageLog.ReadUndeliveredAsync(through, cancellationToken))
        {
            if (await PrepareAsync(record, summary, cancellationToken) is { } outgoing) batch.Add((record, outgoing));
            if (batch.Count >= settings.BatchSize) await SendAsync(batch, summary, cancellationToken);
        }

        if (batch.Count > 0) await SendAsync(batch, summary, cancellationToken);
        return summary;
    }

    private async Task<OutgoingMessage?> PrepareAsync(MessageRecord record, DeliverySummary summary, CancellationToken cancellationToken)
    {
        var profile = await profiles.GetAsync(record.CustomerId, cancellationToken);
        var block = profile is null ? (ReasonCodes.NoEmail, "the profile no longer exists") : Contactability.Check(profile);
        if (block is var (code, detail))
        {
            await SuppressAsync(record, code, detail, summary, cancellationToken);
            return null;
        }

        try
        {
            var candidate = new TriggerCandidate(record.Trigger, record.OccasionKey, record.Reason, record.Data, CooldownKey: record.CooldownKey);
            var rendered = renderer.Render(profile!, candidate, record.MessageId);
            return new OutgoingMessage(rendered, record.SendAt ?? clock.GetCurrentInstant());
        }
        catch (MissingTemplateDataException ex)
        {
            await SuppressAsync(record, ReasonCodes.MissingData, ex.Message, summary, cancellationToken);
            return null;
        }
    }

    private async Task SendAsync(List<(MessageRecord Record, OutgoingMessage Outgoing)> batch, DeliverySummary summary, CancellationToken cancellationToken)
    {
        var outcomes = await sender.SendAsync(batch.Select(b => b.Outgoing).ToList(), cancellationToken);
        var now = clock.GetCurrentInstant();
        for (var i = 0; i < batch.Count; i++)
        {
            var outcome = outcomes[i];
            await messageLog.UpdateStatusAsync(batch[i].Record, outcome.Delivered ? MessageStatus.Sent : MessageStatus.Failed, null, outcome.Detail, now, cancellationToken);
            if (outcome.Delivered) summary.Sent++;
            else summary.Failed++;
        }

        batch.Clear();
    }

    private async Task SuppressAsync(MessageRecord record, string code, string detail, DeliverySummary summary, CancellationToken cancellationToken)
    {
        await messageLog.UpdateStatusAsync(record, MessageStatus.Suppressed, code, detail, clock.GetCurrentInstant(), cancellationToken);
        summary.Suppressed[code] = summary.Suppressed.GetValueOrDefault(code) + 1;
    }
}
