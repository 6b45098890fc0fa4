using Automation.Churn.Summaries;
using Automation.Profiles.Churn;
using Automation.Profiles.Model;
using NodaTime;

namespace Automation.Churn;

/// <summary>What a customer spends, for the spend model.</summary>
/// <param name="Currency">The one currency they buy in; <c>null</c> for several (amounts are never converted) or none.</param>
/// <param name="RepeatMean">The mean value of their repeat purchase days; <c>null</c> without one, or when unknown.</param>
public readonly record struct CustomerSpend(string? Currency, double? RepeatMean);

/// <summary>What the models read from a profile.</summary>
public static class ProfileHistory
{
    /// <summary>(x, t_x, T) on purchase days up to <paramref name="asOf"/>, in weeks; <c>null</c> before the first purchase.</summary>
    public static RfmSummary? Summary(PurchaseSummary purchases, LocalDate asOf) =>
        ChurnInputs.AsOf(purchases, asOf) is { } inputs ? RfmSummary.FromDays(inputs.X, inputs.RecencyDays, inputs.AgeDays) : null;

    /// <summary>
    /// The customer's currency and the mean value of their repeat purchase days: gross after the first
    /// day over x. No mean without a repeat purchase or when the profile predates first-day spend being kept.
    /// </summary>
    public static CustomerSpend Spend(PurchaseSummary purchases, int repeatPurchases)
    {
        if (purchases.SpendByCurrency.Count != 1) return new CustomerSpend(null, null);
        var (currency, spend) = (purchases.SpendByCurrency.Keys[0], purchases.SpendByCurrency.Values[0]);
        var mean = repeatPurchases > 0 && spend.RepeatGross is { } repeat && repeat > 0 ? (double)repeat / repeatPurchases : (double?)null;
        return new CustomerSpend(currency, mean);
    }
}
