using NodaTime;

namespace Automation.Profiles.Model;

/// <summary>
/// Purchase aggregates, updated one transaction line at a time. Amounts are kept per currency: nothing
/// is ever converted silently.
/// </summary>
public sealed class PurchaseSummary
{
    public Instant? FirstPurchaseAt { get; set; }
    public Instant? LastPurchaseAt { get; set; }

    /// <summary>Distinct orders (transaction ids) with a non-negative amount.</summary>
    public int OrderCount { get; set; }

    /// <summary>
    /// Distinct local calendar days with a purchase, ascending. The churn model counts days, not orders
    /// (two orders on one day are one purchase occasion, as in Fader, Hardie &amp; Lee 2005).
    /// </summary>
    public List<LocalDate> PurchaseDays { get; set; } = [];

    /// <summary>How far back from the newest receipt the receipts go: two years, well beyond any report's period and window.</summary>
    public const int ReceiptDays = 730;

    /// <summary>
    /// The purchases of the last <see cref="ReceiptDays"/> before the newest, each with its instant and
    /// amount, ascending: what the outcome report needs to tell a purchase after a send time from one
    /// before it, and the revenue of a window. The lines of one instant in one currency are one receipt.
    /// </summary>
    public List<Receipt> Receipts { get; set; } = [];

    public OrdinalMap<CurrencySpend> SpendByCurrency { get; set; } = new();

    public OrdinalMap<CategoryActivity> Categories { get; set; } = new();

    /// <summary>
    /// The customer's typical rhythm: the median gap in days between consecutive purchase days;
    /// <c>null</c> with fewer than two. Derived from <see cref="PurchaseDays"/>, and written into the
    /// document for readers (templates, queries) but never read back from it.
    /// </summary>
    public double? MedianDaysBetweenPurchases => MedianDaysBetweenFirst(PurchaseDays.Count);

    /// <summary>How many purchase days fall on or before <paramref name="asOf"/>: later ones do not count yet.</summary>
    public int PurchaseDaysUpTo(LocalDate asOf)
    {
        if (PurchaseDays.Count == 0 || PurchaseDays[^1] <= asOf) return PurchaseDays.Count;
        var index = PurchaseDays.BinarySearch(asOf);
        return index >= 0 ? index + 1 : ~index;
    }

    /// <summary>The median gap in days between the first <paramref name="count"/> purchase days; <c>null</c> with fewer than two.</summary>
    public double? MedianDaysBetweenFirst(int count)
    {
        if (count < 2) return null;
        // Planning asks this of every customer every day: small histories need no allocation.
        Span<int> gaps = count <= 256 ? stackalloc int[count - 1] : new int[count - 1];
        for (var i = 1; i < count; i++) gaps[i - 1] = Period.DaysBetween(PurchaseDays[i - 1], PurchaseDays[i]);
        gaps.Sort();
        var middle = gaps.Length / 2;
        return gaps.Length % 2 == 1 ? gaps[middle] : (gaps[middle - 1] + gaps[middle]) / 2.0;
    }
}

/// <summary>
/// What a customer bought at one instant in one currency (purchase lines only: refunds are not receipts).
/// A value, not an object: a profile is decoded on every line that touches it during ingestion, and its
/// receipts then cost one array, not an object each.
/// </summary>
public readonly record struct Receipt(Instant At, string Currency, decimal Gross);

public sealed class CurrencySpend
{
    public int Orders { get; set; }
    /// <summary>Sum of purchase lines (amount ≥ 0).</summary>
    public decimal Gross { get; set; }

    /// <summary>
    /// The part of <see cref="Gross"/> bought on the customer's first purchase day (in any currency's
    /// terms: 0 when that day's purchases were in other currencies). The spend model learns from repeat
    /// purchases only, Gross less this. <c>null</c> in documents written before it was kept: unknown.
    /// </summary>
    public decimal? FirstDayGross { get; set; }

    /// <summary>Gross of the purchase days after the first; <c>null</c> when <see cref="FirstDayGross"/> is unknown.</summary>
    public decimal? RepeatGross => Gross - FirstDayGross;

    public int RefundCount { get; set; }
    /// <summary>Sum of refund lines, as a positive number.</summary>
    public decimal Refunded { get; set; }
    /// <summary>Derived: written into the document for readers, never read back.</summary>
    public decimal Net => Gross - Refunded;

    /// <summary>Gross per order (derived, as <see cref="Net"/>).</summary>
    public decimal AverageOrderValue => Orders == 0 ? 0m : decimal.Round(Gross / Orders, 2, MidpointRounding.ToEven);
}

public sealed class CategoryActivity
{
    /// <summary>Orders containing at least one purchase line of this category.</summary>
    public int Orders { get; set; }
    /// <summary>Net spend (purchases less refunds) per currency.</summary>
    public MoneyByCurrency NetSpendByCurrency { get; set; } = new();
}
