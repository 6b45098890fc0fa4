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
public sealed record TriggerOutcome(
    string Trigger,
    string? Locale,
    long Planned,
    long Messaged,
    long HeldOut,
    long Pending,
    Conversion Conversion,
    Uplift? Uplift,
    string Verdict,
    IReadOnlyList<TriggerOutcome> ByLocale);

/// <param name="Messaged">Share of messaged decisions followed by a purchase within the window; null without any.</param>
/// <param name="HeldOut">The same for the held-out ones.</param>
public sealed record Conversion(double? Messaged, double? HeldOut);

/// <summary>Messaged minus held out, in purchase rate, with Newcombe's 95% interval; <paramref name="Relative"/> against the held-out rate.</summary>
/// <param name="IncrementalPurchases">Customers who bought because of the mails, as estimated: the absolute uplift times the messaged.</param>
public sealed record Uplift(double Absolute, double Low, double High, double? Relative, double IncrementalPurchases);

public sealed record OutcomeReportResult(string AsOf, string From, string To, int WindowDays, IReadOnlyList<TriggerOutcome> Triggers);

/// <summary>
/// The outcome report: reads every customer once through the planning feed (profile and decisions
/// together, range by range, as the plan reads them), keeps only counts per trigger and locale, so
/// memory stays flat at any number of customers; then compares each trigger's messaged customers with
/// its held-out ones (docs/reporting.md).
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
                    if (!tallies.TryGetValue(key, out var tally)) tallies[key] = tally = new OutcomeTally();
                    tally.Add(decision, customer.Profile, query);
                }
            }
        }

        var triggers = tallies.GroupBy(t => t.Key.Trigger).OrderBy(g => g.Key, StringComparer.Ordinal).Select(group =>
        {
            var total = new OutcomeTally();
            foreach (var (_, tally) in group) total.Add(tally);
            var locales = group.OrderBy(t => t.Key.Locale, StringComparer.Ordinal).Select(t => Outcome(group.Key, t.Key.Locale, t.Value, query.WindowDays, [])).ToList();
            return Outcome(group.Key, null, total, query.WindowDays, locales);
        }).ToList();
        return new OutcomeReportResult(Format(query.AsOf), Format(query.From), Format(query.To), query.WindowDays, triggers);
    }

    private static TriggerOutcome Outcome(string trigger, string? locale, OutcomeTally tally, int windowDays, IReadOnlyList<TriggerOutcome> byLocale)
    {
        double? Rate(long converted, long total) => total == 0 ? null : (double)converted / total;
        Uplift? uplift = null;
        if (tally.Messaged > 0 && tally.HeldOut > 0)
        {
            var difference = Proportions.Difference(tally.MessagedConverted, tally.Messaged, tally.HeldOutConverted, tally.HeldOut);
            var heldOutRate = (double)tally.HeldOutConverted / tally.HeldOut;
            uplift = new Uplift(difference.Estimate, difference.Low, difference.High,
                heldOutRate > 0 ? difference.Estimate / heldOutRate : null, difference.Estimate * tally.Messaged);
        }

        return new TriggerOutcome(trigger, locale, tally.Planned, tally.Messaged, tally.HeldOut, tally.Pending,
            new Conversion(Rate(tally.MessagedConverted, tally.Messaged), Rate(tally.HeldOutConverted, tally.HeldOut)), uplift,
            OutcomeVerdict.For(trigger, tally.Messaged, tally.MessagedConverted, tally.HeldOut, tally.HeldOutConverted, windowDays), byLocale);
    }

    private static string Format(LocalDate date) => LocalDatePattern.Iso.Format(date);
}
