namespace Automation.Churn.Summaries;

/// <summary>
/// Customers as the likelihood sees them: identical (x, t_x, T) summaries collapse into one row with a
/// count. Summaries from day-based profiles repeat a lot (every one-time buyer of a day is the same row),
/// so memory and fit time follow the number of distinct rows, not of customers.
/// </summary>
public sealed class RfmSample
{
    private readonly Dictionary<RfmSummary, int> _counts = [];

    public long Customers { get; private set; }
    public long RepeatCustomers { get; private set; }
    public int DistinctRows => _counts.Count;

    /// <exception cref="ArgumentException">The summary is impossible (<see cref="RfmSummary.Problem"/>).</exception>
    public void Add(RfmSummary customer, int count = 1)
    {
        if (customer.Problem() is { } problem) throw new ArgumentException(problem.Reason, nameof(customer));
        _counts[customer] = _counts.GetValueOrDefault(customer) + count;
        Customers += count;
        if (customer.IsRepeatCustomer) RepeatCustomers += count;
    }

    /// <summary>Each distinct (x, t_x, T) once, in the order first added.</summary>
    public IEnumerable<RfmSummary> DistinctSummaries => _counts.Keys;

    /// <summary>The rows in a fixed order (by x, t_x, T), so sums over them, and fits, are reproducible.</summary>
    internal Columns ToColumns()
    {
        var rows = _counts.OrderBy(r => r.Key.Frequency).ThenBy(r => r.Key.Recency).ThenBy(r => r.Key.Age).ToList();
        return new Columns(
            rows.Select(r => r.Key.Frequency).ToArray(),
            rows.Select(r => r.Key.Recency).ToArray(),
            rows.Select(r => r.Key.Age).ToArray(),
            rows.Select(r => (double)r.Value).ToArray());
    }

    internal sealed record Columns(int[] Frequency, double[] Recency, double[] Age, double[] Count);
}
