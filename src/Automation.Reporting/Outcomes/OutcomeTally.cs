using Automation.Messages;
using Automation.Profiles.Model;
using Automation.Reporting.Statistics;
using NodaTime;

namespace Automation.Reporting.Outcomes;

/// <summary>
/// The counts of one trigger (or one trigger in one locale) as the decisions stream past: constant
/// memory whatever the number of customers. Each decision to mail or to hold out is one observation,
/// a customer-occasion: a customer with two churn messages in the period counts twice.
/// </summary>
internal sealed class OutcomeTally(int windowDays)
{
    public long Planned { get; private set; }
    public long Pending { get; private set; }
    public GroupTally Messaged { get; } = new(windowDays);
    public GroupTally HeldOut { get; } = new(windowDays);

    /// <summary>Provider reports over every decision the sender took in the period, its window ended or not.</summary>
    public FunnelTally Funnel { get; } = new();

    /// <summary>Counts one decision: whether, and when, the customer bought in the window after its send time, and for how much.</summary>
    public void Add(MessageHistoryEntry decision, CustomerProfile profile, Instant asOfEnd)
    {
        var group = OutcomeGroups.Of(decision.Status);
        if (group == OutcomeGroup.None) return;
        Planned++;
        if (group == OutcomeGroup.Messaged) Funnel.Add(decision);
        // A decision recorded without its send time cannot be placed against purchases; it waits with the pending.
        if (group == OutcomeGroup.Undelivered || decision.SendAt is not { } sendAt || sendAt + Duration.FromDays(windowDays) > asOfEnd)
        {
            Pending++;
            return;
        }

        (group == OutcomeGroup.Messaged ? Messaged : HeldOut).Add(decision.MessageId, profile.Purchases.Receipts, sendAt);
    }

    public void Add(OutcomeTally other)
    {
        Planned += other.Planned;
        Pending += other.Pending;
        Messaged.Add(other.Messaged);
        HeldOut.Add(other.HeldOut);
        Funnel.Add(other.Funnel);
    }
}

/// <summary>One group's observations: how many, how many bought and on which day of the window first, and what they spent.</summary>
internal sealed class GroupTally(int windowDays)
{
    public long Count { get; private set; }
    public long Converted { get; private set; }

    /// <summary>Per day since the send (index 0 is the first 24 hours), the observations whose first purchase fell in it.</summary>
    public long[] FirstPurchaseByDay { get; } = new long[windowDays];

    /// <summary>Spend in the window per currency, ordinal order.</summary>
    public SortedDictionary<string, SpendBootstrap> Spend { get; } = new(StringComparer.Ordinal);

    public void Add(MessageId observation, List<Receipt> receipts, Instant sendAt)
    {
        Count++;
        var windowEnd = sendAt + Duration.FromDays(windowDays);
        var first = FirstAfter(receipts, sendAt);
        if (first >= receipts.Count || receipts[first].At > windowEnd) return;
        Converted++;
        FirstPurchaseByDay[(int)Math.Min(windowDays - 1, (receipts[first].At - sendAt - Duration.Epsilon).TotalDays)]++;

        var key = KeyOf(observation);
        var end = first;
        while (end < receipts.Count && receipts[end].At <= windowEnd) end++;
        // Few receipts fall in one window: per currency, a pass over them beats a dictionary.
        for (var i = first; i < end; i++)
        {
            var currency = receipts[i].Currency;
            if (IndexOfCurrency(receipts, first, i, currency) < i) continue;
            var total = 0m;
            for (var j = i; j < end; j++) if (receipts[j].Currency == currency) total += receipts[j].Gross;
            if (!Spend.TryGetValue(currency, out var bootstrap)) Spend[currency] = bootstrap = new SpendBootstrap();
            bootstrap.Add(total, key);
        }
    }

    public void Add(GroupTally other)
    {
        Count += other.Count;
        Converted += other.Converted;
        for (var d = 0; d < FirstPurchaseByDay.Length; d++) FirstPurchaseByDay[d] += other.FirstPurchaseByDay[d];
        foreach (var (currency, spend) in other.Spend)
        {
            if (!Spend.TryGetValue(currency, out var bootstrap)) Spend[currency] = bootstrap = new SpendBootstrap();
            bootstrap.Add(spend);
        }
    }

    /// <summary>The index of the first receipt strictly after <paramref name="instant"/> (receipts are in time order).</summary>
    private static int FirstAfter(List<Receipt> receipts, Instant instant)
    {
        int low = 0, high = receipts.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (receipts[middle].At <= instant) low = middle + 1;
            else high = middle;
        }

        return low;
    }

    private static int IndexOfCurrency(List<Receipt> receipts, int from, int to, string currency)
    {
        for (var i = from; i < to; i++) if (receipts[i].Currency == currency) return i;
        return to;
    }

    /// <summary>A stable 64-bit key per message (FNV-1a), so the bootstrap's weights do not depend on reading order.</summary>
    private static ulong KeyOf(MessageId observation)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in observation.Value) hash = (hash ^ c) * 1099511628211UL;
        return hash;
    }
}

/// <summary>The delivery funnel from the provider's reports: shown beside the outcome, never used for uplift.</summary>
internal sealed class FunnelTally
{
    public long Sent { get; private set; }
    public long Delivered { get; private set; }
    public long Bounced { get; private set; }
    public long Dropped { get; private set; }
    public long Opened { get; private set; }
    public long Clicked { get; private set; }
    public long Unsubscribed { get; private set; }
    public long SpamReported { get; private set; }

    public void Add(MessageHistoryEntry decision)
    {
        Sent++;
        var seen = decision.Reported;
        // An open or click is delivery too (the status moved to delivered on it), even when the delivered report itself never came.
        if (decision.Status == MessageStatus.Delivered || seen.HasFlag(ReportedEvents.Delivered)) Delivered++;
        if (decision.Status == MessageStatus.Bounced || seen.HasFlag(ReportedEvents.Bounced)) Bounced++;
        if (decision.Status == MessageStatus.Dropped || seen.HasFlag(ReportedEvents.Dropped)) Dropped++;
        if (seen.HasFlag(ReportedEvents.Opened)) Opened++;
        if (seen.HasFlag(ReportedEvents.Clicked)) Clicked++;
        if (seen.HasFlag(ReportedEvents.Unsubscribed)) Unsubscribed++;
        if (seen.HasFlag(ReportedEvents.SpamReported)) SpamReported++;
    }

    public void Add(FunnelTally other)
    {
        Sent += other.Sent;
        Delivered += other.Delivered;
        Bounced += other.Bounced;
        Dropped += other.Dropped;
        Opened += other.Opened;
        Clicked += other.Clicked;
        Unsubscribed += other.Unsubscribed;
        SpamReported += other.SpamReported;
    }
}

internal enum OutcomeGroup
{
    /// <summary>Not part of the comparison: suppressed by a policy, never meant to be mailed.</summary>
    None,
    Messaged,
    HeldOut,
    /// <summary>Meant to be mailed, not handed to the sender yet.</summary>
    Undelivered,
}

internal static class OutcomeGroups
{
    /// <summary>
    /// Every decision the sender took counts as messaged, delivered or not (bounced, dropped, rejected):
    /// the comparison is of the groups as they were assigned, which is what makes it fair to the holdout.
    /// </summary>
    public static OutcomeGroup Of(MessageStatus status) => status switch
    {
        MessageStatus.HeldOut => OutcomeGroup.HeldOut,
        MessageStatus.Suppressed => OutcomeGroup.None,
        MessageStatus.Planned or MessageStatus.Sending or MessageStatus.Failed => OutcomeGroup.Undelivered,
        _ => OutcomeGroup.Messaged,
    };
}
