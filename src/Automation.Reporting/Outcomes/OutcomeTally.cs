using Automation.Messages;
using Automation.Profiles.Model;

namespace Automation.Reporting.Outcomes;

/// <summary>
/// The counts of one trigger (or one trigger in one locale) as the decisions stream past: constant
/// memory whatever the number of customers. Each decision to mail or to hold out is one observation,
/// a customer-occasion: a customer with two churn messages in the period counts twice.
/// </summary>
internal sealed class OutcomeTally
{
    public long Planned { get; private set; }
    public long Messaged { get; private set; }
    public long HeldOut { get; private set; }
    public long Pending { get; private set; }
    public long MessagedConverted { get; private set; }
    public long HeldOutConverted { get; private set; }

    /// <summary>Counts one decision; whether the customer bought in the window after its day.</summary>
    public void Add(MessageHistoryEntry decision, CustomerProfile profile, OutcomeQuery query)
    {
        var group = OutcomeGroups.Of(decision.Status);
        if (group == OutcomeGroup.None) return;
        Planned++;
        var windowEnd = decision.PlannedFor.PlusDays(query.WindowDays);
        if (group == OutcomeGroup.Undelivered || windowEnd > query.AsOf)
        {
            Pending++;
            return;
        }

        var converted = Bought(profile.Purchases.PurchaseDays, decision.PlannedFor, windowEnd);
        if (group == OutcomeGroup.Messaged)
        {
            Messaged++;
            if (converted) MessagedConverted++;
        }
        else
        {
            HeldOut++;
            if (converted) HeldOutConverted++;
        }
    }

    public void Add(OutcomeTally other)
    {
        Planned += other.Planned;
        Messaged += other.Messaged;
        HeldOut += other.HeldOut;
        Pending += other.Pending;
        MessagedConverted += other.MessagedConverted;
        HeldOutConverted += other.HeldOutConverted;
    }

    /// <summary>A purchase day after <paramref name="day"/> and at most <paramref name="windowEnd"/> (the days are sorted).</summary>
    private static bool Bought(List<NodaTime.LocalDate> purchaseDays, NodaTime.LocalDate day, NodaTime.LocalDate windowEnd)
    {
        var index = purchaseDays.BinarySearch(day.PlusDays(1));
        if (index < 0) index = ~index;
        return index < purchaseDays.Count && purchaseDays[index] <= windowEnd;
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
