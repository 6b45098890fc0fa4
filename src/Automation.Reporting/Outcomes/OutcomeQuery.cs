using Automation.Messages;
using NodaTime;

namespace Automation.Reporting.Outcomes;

/// <summary>Which decisions a report reads, and how long after each it looks for a purchase.</summary>
/// <param name="From">The first planned day (the customer's day a message belongs to) the report reads.</param>
/// <param name="To">The last planned day it reads.</param>
/// <param name="AsOf">The day the report is made for: a decision whose window has not ended by it is pending.</param>
/// <param name="WindowDays">Days after the planned day in which a purchase counts as a conversion.</param>
/// <param name="Trigger">One trigger, or every trigger when null.</param>
public sealed record OutcomeQuery(LocalDate From, LocalDate To, LocalDate AsOf, int WindowDays, TriggerName? Trigger = null)
{
    /// <summary>The defaults: the last 90 days of plans up to <paramref name="asOf"/>, a 14-day window.</summary>
    public static OutcomeQuery Default(LocalDate asOf) => new(asOf.PlusDays(-90), asOf, asOf, 14);
}
