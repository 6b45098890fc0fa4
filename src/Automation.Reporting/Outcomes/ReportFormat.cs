using System.Globalization;

namespace Automation.Reporting.Outcomes;

/// <summary>How rates and differences read for people, the same in the verdict and the tables.</summary>
public static class ReportFormat
{
    /// <summary>0.0612 → "6.1%"; null → "—".</summary>
    public static string Percent(double? rate) => rate is { } r ? r.ToString("0.0%", CultureInfo.InvariantCulture) : "—";

    /// <summary>An amount per customer with two decimals, signed when negative: 12.5 → "12.50"; null → "—".</summary>
    public static string Money(double? amount) => amount is { } a ? a.ToString("0.00", CultureInfo.InvariantCulture) : "—";

    /// <summary>A difference of rates in percentage points, signed: 0.019 → "+1.9".</summary>
    public static string Points(double difference) => (difference * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture);
}
