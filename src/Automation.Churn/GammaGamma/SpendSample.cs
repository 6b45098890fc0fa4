namespace Automation.Churn.GammaGamma;

/// <summary>Repeat customers' (x, mean repeat spend), identical pairs collapsed into one row with a count.</summary>
public sealed class SpendSample
{
    private readonly Dictionary<(int Frequency, double MeanSpend), int> _counts = [];

    public long Customers { get; private set; }

    /// <exception cref="ArgumentOutOfRangeException">x is not positive or the mean spend is not a positive amount.</exception>
    public void Add(int repeatPurchases, double meanSpend)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repeatPurchases);
        if (!(double.IsFinite(meanSpend) && meanSpend > 0)) throw new ArgumentOutOfRangeException(nameof(meanSpend), "The mean spend must be an amount > 0.");
        _counts[(repeatPurchases, meanSpend)] = _counts.GetValueOrDefault((repeatPurchases, meanSpend)) + 1;
        Customers++;
    }

    internal (int[] Frequency, double[] MeanSpend, double[] Count) ToColumns()
    {
        var rows = _counts.OrderBy(r => r.Key.Frequency).ThenBy(r => r.Key.MeanSpend).ToList();
        return (rows.Select(r => r.Key.Frequency).ToArray(), rows.Select(r => r.Key.MeanSpend).ToArray(), rows.Select(r => (double)r.Value).ToArray());
    }
}
