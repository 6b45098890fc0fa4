using Automation.Planning;
using Automation.Reporting.Statistics;
using NodaTime;
using NodaTime.Text;

namespace Automation.Reporting.Outcomes;

/// <summary>What one trigger's messages did (or one trigger's in one locale), rates as fractions.</summary>
/// <param name="Planned">Decisions to mail or hold out in the period.</param>
/// <param name="Pending">Of those, the ones whose window had not ended by the report's day, or not yet sent: not counted below.</param>
/// <param name="Messaged">Decisions the sender took whose window ended.</param>
/// <param name="HeldOut">Held-out decisions whose window ended.</param>
/// <param name="CumulativeConversion">Per day since the send, the share of each group that had bought by its end: the curves of the charts.</param>
/// <param name="RevenuePerCustomer">Per currency, what each group spent in the window per customer (spenders and the rest).</param>
/// <param name="Events">The provider's reports on the messages sent in the period: shown, never used for uplift.</param>
public sealed record TriggerOutcome(
    string Trigger,
    string? Locale,
    long Planned,
    long Messaged,
    long HeldOut,
    long Pending,
    Conversion Conversion,
    Uplift? Uplift,
    CumulativeConversion CumulativeConversion,
    IReadOnlyDictionary<string, RevenueOutcome> RevenuePerCustomer,
    DeliveryFunnel Events,
    string Verdict,
    IReadOnlyList<TriggerOutcome> ByLocale);

/// <param name="Messaged">Share of messaged decisions followed by a purchase within the window; null without any.</param>
/// <param name="HeldOut">The same for the held-out ones.</param>
public sealed record Conversion(double? Messaged, double? HeldOut);

/// <summary>Messaged minus held out, in purchase rate, with Newcombe's 95% interval; <paramref name="Relative"/> against the held-out rate.</summary>
/// <param name="IncrementalPurchases">Customers who bought because of the mails, as estimated: the absolute uplift times the messaged.</param>
public sealed record Uplift(double Absolute, double Low, double High, double? Relative, double IncrementalPurchases);

/// <param name="Messaged">Entry d (0-based): the share of the messaged who bought within d + 1 days of the send.</param>
public sealed record CumulativeConversion(IReadOnlyList<double> Messaged, IReadOnlyList<double> HeldOut);

/// <summary>Spend per customer in the window in one currency, and the difference with its bootstrap 95% interval.</summary>
/// <param name="IncrementalRevenue">The uplift times the messaged: what the mails brought in, as estimated.</param>
public sealed record RevenueOutcome(double? Messaged, double? HeldOut, double? Uplift, double? UpliftLow, double? UpliftHigh, double? IncrementalRevenue);

/// <summary>Counts of the messages sent in the period with each kind of report, and their shares of <paramref name="Sent"/>.</summary>
public sealed record DeliveryFunnel(long Sent, long Delivered, long Bounced, long Dropped, long Opened, long Clicked, long Unsubscribed, long SpamReports, DeliveryRates Rates);

public sealed record DeliveryRates(double? Delivered, double? Bounced, double? Dropped, double? Opened, double? Clicked, double? Unsubscribed, double? SpamReports);

public sealed record OutcomeReportResult(string AsOf, string From, string To, int WindowDays, IReadOnlyList<TriggerOutcome> Triggers);

/// <summary>
/// The outcome report: reads every customer once through the planning feed (profile and decisions
/// together, range by range, as the plan reads them), keeps only counts and bootstrap sums per trigger
/// and locale, so memory stays flat at any number of customers; then compares each trigger's messaged
/// customers with its held-out ones (docs/reporting.md).
/// </summary>
public sealed class OutcomeReport(IPlanningFeed feed)
{
    /// <summary>The locale of a profile without one.</summary>
    public const string UnknownLocale = "unknown";

    public async Task<OutcomeReportResult> BuildAsync(OutcomeQuery query, CancellationToken cancellationToken = default)
    {
        var tallies = new Dictionary<(string Trigger, string Locale), OutcomeTally>();
        foreach (var range in await feed.GetRangesAsync(cancellationToken))
        {
            // Instant.MaxValue: no customer counts as planned by this pass, so none is passed over.
            await foreach (var customer in feed.ReadRangeAsync(range, Instant.MaxValue, cancellationToken))
            {
                foreach (var decision in customer.History)
                {
                    if (decision.PlannedFor < query.From || decision.PlannedFor > query.To) continue;
                    if (query.Trigger is { } only && decision.Trigger != only) continue;
                    var key = (decision.Trigger.Value, customer.Profile.Locale ?? UnknownLocale);
                    if (!tallies.TryGetValue(key, out var tally)) tallies[key] = tally = new OutcomeTally(query.WindowDays);
                    tally.Add(decision, customer.Profile, query.AsOfEnd);
                }
            }
        }

        var triggers = tallies.GroupBy(t => t.Key.Trigger).OrderBy(g => g.Key, StringComparer.Ordinal).Select(group =>
        {
            var total = new OutcomeTally(query.WindowDays);
            foreach (var (_, tally) in group) total.Add(tally);
            var locales = group.OrderBy(t => t.Key.Locale, StringComparer.Ordinal).Select(t => Outcome(group.Key, t.Key.Locale, t.Value, query.WindowDays, [])).ToList();
            return Outcome(group.Key, null, total, query.WindowDays, locales);
        }).ToList();
        return new OutcomeReportResult(Format(query.AsOf), Format(query.From), Format(query.To), query.WindowDays, triggers);
    }

    private static TriggerOutcome Outcome(string trigger, string? locale, OutcomeTally tally, int windowDays, IReadOnlyList<TriggerOutcome> byLocale)
    {
        var (messaged, heldOut) = (tally.Messaged, tally.HeldOut);
        Uplift? uplift = null;
        if (messaged.Count > 0 && heldOut.Count > 0)
        {
            var difference = Proportions.Difference(messaged.Converted, messaged.Count, heldOut.Converted, heldOut.Count);
            var heldOutRate = (double)heldOut.Converted / heldOut.Count;
            uplift = new Uplift(difference.Estimate, difference.Low, difference.High,
                heldOutRate > 0 ? difference.Estimate / heldOutRate : null, difference.Estimate * messaged.Count);
        }

        return new TriggerOutcome(trigger, locale, tally.Planned, messaged.Count, heldOut.Count, tally.Pending,
            new Conversion(Rate(messaged.Converted, messaged.Count), Rate(heldOut.Converted, heldOut.Count)), uplift,
            new CumulativeConversion(Cumulative(messaged), Cumulative(heldOut)),
            Revenue(messaged, heldOut), Funnel(tally.Funnel),
            OutcomeVerdict.For(trigger, messaged.Count, messaged.Converted, heldOut.Count, heldOut.Converted, windowDays), byLocale);
    }

    private static double[] Cumulative(GroupTally group)
    {
        var shares = new double[group.FirstPurchaseByDay.Length];
        long bought = 0;
        for (var d = 0; d < shares.Length; d++)
        {
            bought += group.FirstPurchaseByDay[d];
            shares[d] = group.Count == 0 ? 0 : (double)bought / group.Count;
        }

        return shares;
    }

    private static SortedDictionary<string, RevenueOutcome> Revenue(GroupTally messaged, GroupTally heldOut)
    {
        var revenue = new SortedDictionary<string, RevenueOutcome>(StringComparer.Ordinal);
        foreach (var currency in messaged.Spend.Keys.Union(heldOut.Spend.Keys))
        {
            var sent = messaged.Spend.GetValueOrDefault(currency) ?? new SpendBootstrap();
            var kept = heldOut.Spend.GetValueOrDefault(currency) ?? new SpendBootstrap();
            double? Mean(SpendBootstrap spend, long count) => count == 0 ? null : Math.Round(spend.Mean(count), 4);
            if (messaged.Count == 0 || heldOut.Count == 0)
            {
                revenue[currency] = new RevenueOutcome(Mean(sent, messaged.Count), Mean(kept, heldOut.Count), null, null, null, null);
                continue;
            }

            var difference = SpendBootstrap.Difference(sent, messaged.Count, kept, heldOut.Count);
            revenue[currency] = new RevenueOutcome(Mean(sent, messaged.Count), Mean(kept, heldOut.Count),
                Math.Round(difference.Estimate, 4), Math.Round(difference.Low, 4), Math.Round(difference.High, 4),
                Math.Round(difference.Estimate * messaged.Count, 2));
        }

        return revenue;
    }

    private static DeliveryFunnel Funnel(FunnelTally funnel)
    {
        double? Share(long count) => Rate(count, funnel.Sent);
        return new DeliveryFunnel(funnel.Sent, funnel.Delivered, funnel.Bounced, funnel.Dropped, funnel.Opened, funnel.Clicked, funnel.Unsubscribed, funnel.SpamReported,
            new DeliveryRates(Share(funnel.Delivered), Share(funnel.Bounced), Share(funnel.Dropped), Share(funnel.Opened), Share(funnel.Clicked),
                Share(funnel.Unsubscribed), Share(funnel.SpamReported)));
    }

    private static double? Rate(long count, long total) => total == 0 ? null : (double)count / total;

    private static string Format(LocalDate date) => LocalDatePattern.Iso.Format(date);
}
