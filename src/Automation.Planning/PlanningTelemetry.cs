using System.Diagnostics;
using System.Diagnostics.Metrics;
using Automation.Planning.Policies;

namespace Automation.Planning;

/// <summary>
/// What planning tells an operator (docs/operations.md): a span per plan (a day, or one range of it),
/// each decision counted by trigger, outcome and reason code, and the time a plan took. Dry runs are
/// previews and count nothing. Trigger names and reason codes only; never a customer.
/// </summary>
public sealed class PlanningTelemetry
{
    public const string Name = "Automation.Planning";
    internal static readonly ActivitySource Activities = new(Name);
    private readonly Counter<long> _decisions;
    private readonly Histogram<double> _duration;

    public PlanningTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        _decisions = meter.CreateCounter<long>("automation.planning.decisions", "{decision}",
            "Decisions by trigger, outcome (planned, held_out, suppressed, already_planned) and reason code (none when planned).");
        _duration = meter.CreateHistogram<double>("automation.planning.duration", "s", "Time to plan a day, or the ranges of it one worker was given.");
    }

    internal void Decided(MessageDecision decision) => _decisions.Add(1,
        new KeyValuePair<string, object?>("trigger", decision.Trigger.Name),
        new KeyValuePair<string, object?>("outcome", Outcome(decision.Outcome)),
        new KeyValuePair<string, object?>("reason", decision.ReasonCode?.Value ?? "none"));

    internal void Planned(TimeSpan took) => _duration.Record(took.TotalSeconds);

    private static string Outcome(DecisionOutcome outcome) => outcome switch
    {
        DecisionOutcome.Planned => "planned",
        DecisionOutcome.HeldOut => "held_out",
        DecisionOutcome.AlreadyPlanned => "already_planned",
        _ => "suppressed",
    };
}
