using Automation.Messages;
using Automation.Profiles.Changes;
using Automation.Profiles.Model;
using Automation.Profiles.Storage;
using NodaTime;

namespace Automation.Delivery.Feedback;

/// <summary>One event a provider reported, mapped to our names.</summary>
/// <param name="MessageId">Our message id, from the custom argument we sent; null when the event carries none.</param>
/// <param name="Type">One of <see cref="DeliveryEventTypes"/>, or the provider's own name for an event we do not act on.</param>
/// <param name="Detail">The provider's reason or response, masked with <see cref="ProviderText.Masked"/>.</param>
public sealed record DeliveryReport(MessageId? MessageId, string Type, Instant At, string? ProviderEventId, string? Detail);

public sealed class FeedbackSummary
{
    public long Received { get; internal set; }
    /// <summary>Recorded on their message for the first time.</summary>
    public long Recorded { get; internal set; }
    /// <summary>Already recorded: providers resend batches, sometimes under new event ids.</summary>
    public long Duplicates { get; internal set; }
    /// <summary>Without a message id of ours, or for a message no longer in the log.</summary>
    public long Unmatched { get; internal set; }
    /// <summary>Event types the product does not act on; recorded on the message all the same.</summary>
    public SortedDictionary<string, long> UnknownTypes { get; } = new(StringComparer.Ordinal);
    /// <summary>Per event type, the customers whose email consent it changed (suppressions and group rejoins).</summary>
    public SortedDictionary<string, long> ConsentChanges { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Applies a provider's reports: bounces, drops, spam reports and unsubscribes suppress the customer
/// (consent, with the reason), a group rejoin lifts a group leave, and every report is recorded on its
/// message, once. Consent goes first: it is idempotent, so a crash in between is repaired by the
/// provider's retry, which then finds the message's record missing and adds it.
/// </summary>
public sealed class FeedbackService(IMessageLog messageLog, ICustomerProfileStore profiles)
{
    /// <param name="sourceId">Names the batch (say, a hash of the request body) in the profile's consent source.</param>
    public async Task<FeedbackSummary> ApplyAsync(IReadOnlyList<DeliveryReport> reports, string sourceId, CancellationToken cancellationToken = default)
    {
        var summary = new FeedbackSummary { Received = reports.Count };
        var messages = new Dictionary<MessageId, MessageRecord?>();
        var matched = new List<(DeliveryReport Report, MessageRecord Message)>(reports.Count);
        var consent = new List<ProfileChange>();
        for (var i = 0; i < reports.Count; i++)
        {
            var report = reports[i];
            if (!DeliveryEventTypes.All.Contains(report.Type)) summary.UnknownTypes[report.Type] = summary.UnknownTypes.GetValueOrDefault(report.Type) + 1;
            if (report.MessageId is not { } id) { summary.Unmatched++; continue; }
            if (!messages.TryGetValue(id, out var message)) messages[id] = message = await messageLog.FindAsync(id, cancellationToken);
            if (message is null) { summary.Unmatched++; continue; }
            matched.Add((report, message));
            if (ConsentChangeFor(report, message, new LineSource(sourceId, i + 1)) is { } change)
            {
                consent.Add(change);
                summary.ConsentChanges[report.Type] = summary.ConsentChanges.GetValueOrDefault(report.Type) + 1;
            }
        }

        if (consent.Count > 0) await profiles.ApplyAsync(consent, cancellationToken);
        foreach (var (report, message) in matched)
        {
            var recorded = await messageLog.ApplyEventAsync(message, new MessageEvent(report.Type, report.At, report.ProviderEventId, report.Detail), cancellationToken);
            if (recorded is null) summary.Duplicates++;
            else summary.Recorded++;
        }

        return summary;
    }

    /// <summary>What a report means for the customer's email consent, if anything.</summary>
    public static ConsentChange? ConsentChangeFor(DeliveryReport report, MessageRecord message, LineSource source)
    {
        var (status, origin) = report.Type switch
        {
            DeliveryEventTypes.Bounce or DeliveryEventTypes.Dropped => (ConsentStatus.Bounced, ConsentOrigin.ConsentEvent),
            DeliveryEventTypes.SpamReport => (ConsentStatus.SpamReport, ConsentOrigin.ConsentEvent),
            DeliveryEventTypes.Unsubscribe => (ConsentStatus.OptOut, ConsentOrigin.ConsentEvent),
            DeliveryEventTypes.GroupUnsubscribe => (ConsentStatus.OptOut, ConsentOrigin.UnsubscribeGroup),
            DeliveryEventTypes.GroupResubscribe => (ConsentStatus.OptIn, ConsentOrigin.UnsubscribeGroup),
            _ => ((ConsentStatus?)null, ConsentOrigin.ConsentEvent),
        };
        if (status is not { } consent) return null;
        var reason = $"{report.Type} reported for message {message.MessageId}" + (report.Detail is { } detail ? $": {detail}" : "");
        return new ConsentChange(message.CustomerId.Value, source, ConsentChannels.Email, consent, report.At) { ConsentSource = reason, Origin = origin };
    }
}
