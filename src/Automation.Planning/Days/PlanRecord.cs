using Automation.Planning.Policies;
using NodaTime;

namespace Automation.Planning.Days;

/// <summary>One count of a plan's decisions: for one trigger and locale, how many had one outcome (and reason).</summary>
/// <param name="Outcome">planned, held_out, already_planned or suppressed.</param>
/// <param name="Reason">The suppressing policy's reason code; null for the other outcomes.</param>
public sealed record PlanCount(string Trigger, string Locale, string Outcome, string? Reason, long Count);

/// <summary>
/// One message a plan decided to send, as the Plan page lists it: by message id, never by customer, so
/// the record holds nothing an erasure would have to find (the message log leads from the id to its
/// customer, or to the tombstone of an erased one).
/// </summary>
public sealed record PlanSample(string MessageId, string Trigger, string Locale, Instant SendAt);

/// <summary>How many customers a plan mails with one trigger (held out included) who lack one template field.</summary>
public sealed record PlanGap(string Trigger, string Field, long Count);

/// <summary>
/// What a plan decided for one day, counted by trigger, locale, outcome and reason, with the first few
/// messages it planned per trigger. A pass records it with the day (<see cref="IPlanRecords"/>), so the
/// console shows a day's plan from a few counts instead of reading the store. Pure: decisions in,
/// counts out; two records add up.
/// </summary>
public sealed class PlanRecord
{
    public const int SamplesPerTrigger = 10;
    public const string UnknownLocale = "unknown";

    private readonly SortedDictionary<(string Trigger, string Locale, string Outcome, string Reason), long> _counts = new();
    private readonly SortedDictionary<string, List<PlanSample>> _samples = new(StringComparer.Ordinal);
    private readonly SortedDictionary<(string Trigger, string Field), long> _gaps = new();

    public IReadOnlyList<PlanCount> Counts =>
        [.. _counts.Select(c => new PlanCount(c.Key.Trigger, c.Key.Locale, c.Key.Outcome, c.Key.Reason.Length == 0 ? null : c.Key.Reason, c.Value))];

    public IReadOnlyList<PlanSample> Samples => [.. _samples.Values.SelectMany(samples => samples)];

    public IReadOnlyList<PlanGap> Gaps => [.. _gaps.Select(gap => new PlanGap(gap.Key.Trigger, gap.Key.Field, gap.Value))];

    public static PlanRecord From(IEnumerable<PlanCount> counts, IEnumerable<PlanSample> samples, IEnumerable<PlanGap>? gaps = null)
    {
        var record = new PlanRecord();
        foreach (var count in counts) record.Add(count);
        foreach (var sample in samples) record.AddSample(sample);
        foreach (var gap in gaps ?? []) record.Add(gap);
        return record;
    }

    /// <summary>The customers the plan mails with <paramref name="trigger"/>: planned, or held out in their place.</summary>
    public long Mailed(string trigger) => Counts.Where(c => c.Trigger == trigger && c.Outcome is "planned" or "held_out").Sum(c => c.Count);

    /// <summary>Of <see cref="Mailed"/>, those without <paramref name="field"/> (a template field such as first_name).</summary>
    public long Lacking(string trigger, string field) => _gaps.GetValueOrDefault((trigger, field));

    public void Add(MessageDecision decision)
    {
        var (outcome, reason) = decision.Outcome switch
        {
            DecisionOutcome.Planned => ("planned", null),
            DecisionOutcome.HeldOut => ("held_out", null),
            DecisionOutcome.AlreadyPlanned => ("already_planned", null),
            _ => ("suppressed", decision.ReasonCode?.Value),
        };
        var locale = decision.Locale ?? UnknownLocale;
        Add(new PlanCount(decision.Trigger.Name, locale, outcome, reason, 1));
        if (decision.Outcome == DecisionOutcome.Planned && decision.SendAt is { } sendAt)
        {
            AddSample(new PlanSample(decision.MessageId.Value, decision.Trigger.Name, locale, sendAt));
        }

        if (!decision.Mails || decision.Gaps == ProfileGaps.None) return;
        foreach (var (gap, field) in ProfileGapFields.All)
        {
            if (decision.Gaps.HasFlag(gap)) Add(new PlanGap(decision.Trigger.Name, field, 1));
        }
    }

    public void Add(PlanRecord other)
    {
        foreach (var count in other.Counts) Add(count);
        foreach (var sample in other._samples.Values.SelectMany(samples => samples)) AddSample(sample);
        foreach (var gap in other.Gaps) Add(gap);
    }

    private void Add(PlanGap gap) => _gaps[(gap.Trigger, gap.Field)] = _gaps.GetValueOrDefault((gap.Trigger, gap.Field)) + gap.Count;

    /// <summary>The counts that pass the filters (each null: any).</summary>
    public IEnumerable<PlanCount> Where(string? trigger, string? locale, string? reason) =>
        Counts.Where(c => (trigger is null || c.Trigger == trigger) && (locale is null || c.Locale == locale) && (reason is null || c.Reason == reason));

    private void Add(PlanCount count)
    {
        var key = (count.Trigger, count.Locale, count.Outcome, count.Reason ?? "");
        _counts[key] = _counts.GetValueOrDefault(key) + count.Count;
    }

    /// <summary>
    /// Keeps the earliest sends per trigger in order, whatever order the passes and ranges come in. Every
    /// planned message of a pass comes through here, so a later one than the kept ones costs one comparison.
    /// </summary>
    private void AddSample(PlanSample sample)
    {
        if (!_samples.TryGetValue(sample.Trigger, out var kept)) _samples[sample.Trigger] = kept = new List<PlanSample>(SamplesPerTrigger + 1);
        if (kept.Count == SamplesPerTrigger && Earlier(kept[^1], sample)) return;
        if (kept.Exists(s => s.MessageId == sample.MessageId)) return;
        var index = kept.FindIndex(s => Earlier(sample, s));
        kept.Insert(index < 0 ? kept.Count : index, sample);
        if (kept.Count > SamplesPerTrigger) kept.RemoveAt(kept.Count - 1);
    }

    private static bool Earlier(PlanSample first, PlanSample second) =>
        first.SendAt != second.SendAt ? first.SendAt < second.SendAt : string.CompareOrdinal(first.MessageId, second.MessageId) < 0;
}

/// <summary>The plans recorded per day: each pass (and, planned range by range, each range) under its own key, so a retried range replaces its own record.</summary>
public interface IPlanRecords
{
    Task SaveAsync(LocalDate day, string pass, PlanRecord record, CancellationToken cancellationToken = default);

    /// <summary>Every pass's record of <paramref name="day"/> added up; null when no plan of it was recorded.</summary>
    Task<PlanRecord?> ReadAsync(LocalDate day, CancellationToken cancellationToken = default);
}
