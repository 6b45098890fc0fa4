using Automation.MarketerConsole.Text;
using Automation.Planning.Days;

namespace Automation.MarketerConsole.Settings;

/// <summary>How one count of a plan moves with a change: the messages of a trigger, or the suppressions for a reason.</summary>
public sealed record PlanEffectRow(string Name, long Before, long After)
{
    public long Change => After - Before;
}

/// <summary>
/// What a settings change does to a day's plan: two plans of the same day on the same data, one on the
/// settings in force and one on the changed settings, compared count by count. Pure: two records in,
/// the difference out.
/// </summary>
public sealed class PlanEffect
{
    /// <summary>Planned messages per trigger.</summary>
    public required IReadOnlyList<PlanEffectRow> Planned { get; init; }

    /// <summary>Held-out customers per trigger.</summary>
    public required IReadOnlyList<PlanEffectRow> HeldOut { get; init; }

    /// <summary>Suppressed messages per reason code.</summary>
    public required IReadOnlyList<PlanEffectRow> Suppressed { get; init; }

    public bool Changes => Planned.Concat(HeldOut).Concat(Suppressed).Any(row => row.Change != 0);

    public static PlanEffect Between(PlanRecord before, PlanRecord after) => new()
    {
        Planned = Rows(before, after, "planned", count => count.Trigger),
        HeldOut = Rows(before, after, "held_out", count => count.Trigger),
        Suppressed = Rows(before, after, "suppressed", count => count.Reason ?? ""),
    };

    /// <summary>The change in one sentence: "adds 312 birthday mails, removes 40 churn risk mails; 12 more suppressed by frequency_cap".</summary>
    public string Sentence(ConsoleText? text = null)
    {
        text ??= ConsoleText.English;
        if (!Changes) return text["no change to the plan"];
        var mails = Planned.Where(row => row.Change != 0).Select(row => text.Format(
            (row.Change > 0, Math.Abs(row.Change) == 1) switch
            {
                (true, true) => "adds {0:N0} {1} mail",
                (true, false) => "adds {0:N0} {1} mails",
                (false, true) => "removes {0:N0} {1} mail",
                (false, false) => "removes {0:N0} {1} mails",
            }, Math.Abs(row.Change), row.Name.Replace('_', ' ')));
        var heldOut = HeldOut.Where(row => row.Change != 0)
            .Select(row => text.Format(row.Change > 0 ? "{0:N0} more held out of {1}" : "{0:N0} fewer held out of {1}", Math.Abs(row.Change), row.Name.Replace('_', ' ')));
        var suppressed = Suppressed.Where(row => row.Change != 0)
            .Select(row => text.Format(row.Change > 0 ? "{0:N0} more suppressed by {1}" : "{0:N0} fewer suppressed by {1}", Math.Abs(row.Change), row.Name));
        return string.Join("; ", new[] { mails, heldOut, suppressed }.Select(part => string.Join(", ", part)).Where(part => part.Length > 0));
    }

    private static List<PlanEffectRow> Rows(PlanRecord before, PlanRecord after, string outcome, Func<PlanCount, string> name)
    {
        var was = Totals(before, outcome, name);
        var will = Totals(after, outcome, name);
        return [.. was.Keys.Union(will.Keys).Order(StringComparer.Ordinal).Select(key => new PlanEffectRow(key, was.GetValueOrDefault(key), will.GetValueOrDefault(key)))];
    }

    private static Dictionary<string, long> Totals(PlanRecord record, string outcome, Func<PlanCount, string> name) =>
        record.Counts.Where(count => count.Outcome == outcome).GroupBy(name).ToDictionary(group => group.Key, group => group.Sum(count => count.Count));
}
