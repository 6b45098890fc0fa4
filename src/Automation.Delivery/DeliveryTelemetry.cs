using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Automation.Delivery;

/// <summary>
/// What delivery tells an operator (docs/operations.md): a span per delivery run, messages by outcome
/// (sent, failed, rejected, unknown, suppressed with its reason code), the requests made to the
/// provider and the time a run took. Message ids only, in logs; never an address.
/// </summary>
public sealed class DeliveryTelemetry
{
    public const string Name = "Automation.Delivery";
    internal static readonly ActivitySource Activities = new(Name);
    private readonly Counter<long> _messages;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;

    public DeliveryTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        _messages = meter.CreateCounter<long>("automation.delivery.messages", "{message}",
            "Messages by outcome (sent, failed, rejected, unknown, suppressed) and reason code (suppressed only; none otherwise).");
        _requests = meter.CreateCounter<long>("automation.delivery.provider_requests", "{request}", "Requests made to the email provider, retries and splits included.");
        _duration = meter.CreateHistogram<double>("automation.delivery.duration", "s", "Time of one delivery run.");
    }

    internal void Delivered(DeliverySummary summary, TimeSpan took)
    {
        Messages("sent", "none", summary.Sent);
        Messages("failed", "none", summary.Failed);
        Messages("rejected", "none", summary.Rejected);
        Messages("unknown", "none", summary.Unknown);
        foreach (var (reason, count) in summary.Suppressed) Messages("suppressed", reason, count);
        if (summary.ProviderRequests > 0) _requests.Add(summary.ProviderRequests);
        _duration.Record(took.TotalSeconds);
    }

    private void Messages(string outcome, string reason, long count)
    {
        if (count > 0) _messages.Add(count, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("reason", reason));
    }
}
