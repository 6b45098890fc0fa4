namespace Automation.Churn.Summaries;

/// <summary>
/// One customer as the buy-till-you-die models see them: <see cref="Frequency"/> (x) repeat purchase
/// occasions, <see cref="Recency"/> (t_x) from the first purchase to the last, and <see cref="Age"/> (T)
/// from the first purchase to the end of observation. Times are in weeks, the unit of the published
/// CDNOW results, so fitted parameters compare with the literature.
/// </summary>
public readonly record struct RfmSummary(int Frequency, double Recency, double Age)
{
    public const double DaysPerWeek = 7;

    public bool IsRepeatCustomer => Frequency > 0;

    public static RfmSummary FromDays(int frequency, int recencyDays, int ageDays) =>
        new(frequency, recencyDays / DaysPerWeek, ageDays / DaysPerWeek);

    /// <summary>Which number is wrong and why, or <c>null</c>: the model's formulas assume all of it.</summary>
    public (string Field, string Reason)? Problem() =>
        Frequency < 0 ? ("frequency", "frequency must not be negative")
        : !double.IsFinite(Recency) || Recency < 0 ? ("recency", "recency must be a number ≥ 0")
        : !double.IsFinite(Age) || Age < 0 ? ("T", "T must be a number ≥ 0")
        : Recency > Age ? ("recency", FormattableString.Invariant($"recency ({Recency}) must not exceed T ({Age})"))
        : Frequency == 0 && Recency != 0 ? ("recency", "recency must be 0 when frequency is 0 (no repeat purchase)")
        : null;
}
