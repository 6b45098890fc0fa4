using NodaTime;

namespace Automation.Planning.Days;

/// <summary>
/// The days whose plan completed: what lets a host plan a missed day once, late, instead of losing it,
/// and never plan a day twice for nothing (<see cref="PlanningDays.Owed"/>). Dry runs are not recorded.
/// </summary>
public interface IPlannedDays
{
    Task<IReadOnlyCollection<LocalDate>> ReadAsync(CancellationToken cancellationToken = default);

    /// <summary>Records that <paramref name="day"/> is planned: every customer of every feed range was planned.</summary>
    Task MarkAsync(LocalDate day, Instant at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that the customers of one of the day's <paramref name="ranges"/> feed ranges are planned
    /// (a worker's share of a scaled-out plan); once every range is, the day is planned (<see cref="MarkAsync"/>).
    /// </summary>
    Task MarkRangeAsync(LocalDate day, string range, int ranges, Instant at, CancellationToken cancellationToken = default);
}
