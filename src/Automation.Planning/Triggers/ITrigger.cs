using Automation.Planning.Context;
using Automation.Planning.Settings;
using Automation.Profiles.Model;
using NodaTime;

namespace Automation.Planning.Triggers;

/// <summary>
/// A trigger is a pure function of the profile, the day's context, its settings and the customer's
/// calendar date: a candidate message, or nothing. Adding a trigger is one class like this and one
/// settings section.
/// </summary>
public interface ITrigger
{
    /// <summary>The name used in settings, templates (samples/templates/&lt;name&gt;) and the message log.</summary>
    string Name { get; }

    TriggerSettings Settings { get; }

    /// <summary>Health-adjacent triggers may use purchase-based inference only with the health opt-in.</summary>
    bool HealthRelated { get; }

    TriggerCandidate? Evaluate(CustomerProfile profile, DayContext context, LocalDate date);

    /// <summary>Why <see cref="Evaluate"/> returned nothing, for <c>automation explain</c>; never called in the daily pass.</summary>
    string ExplainSilence(CustomerProfile profile, DayContext context, LocalDate date);

    /// <summary>
    /// A candidate on <paramref name="date"/> with example values of every field the trigger gives its
    /// templates: what the console's Templates page renders each template with. Never planned.
    /// </summary>
    TriggerCandidate Example(LocalDate date);
}

/// <summary>A message a trigger proposes; the policies decide whether and when it goes.</summary>
/// <param name="OccasionKey">What makes this occasion unique for the customer (a year, a lapse episode, a pollen day): the message id derives from it.</param>
/// <param name="Reason">Why it fired, in words with the numbers.</param>
/// <param name="Data">Values templates may use, beyond the profile's.</param>
/// <param name="UsesPurchaseInference">The candidate was selected or shaped by what the customer bought.</param>
/// <param name="CooldownKey">Messages with the same key keep <see cref="TriggerSettings.CooldownDays"/> apart.</param>
public sealed record TriggerCandidate(
    string Trigger,
    string OccasionKey,
    string Reason,
    IReadOnlyDictionary<string, string> Data,
    bool UsesPurchaseInference = false,
    string? CooldownKey = null);
