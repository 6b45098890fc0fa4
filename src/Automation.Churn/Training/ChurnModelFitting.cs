using Automation.Churn.BgNbd;
using Automation.Churn.GammaGamma;
using Automation.Churn.Summaries;
using NodaTime;

namespace Automation.Churn.Training;

/// <summary>Fits both models on prepared samples.</summary>
public static class ChurnModelFitting
{
    /// <summary>Below this many repeat customers with a known spend the spend model is not fitted: three parameters need more.</summary>
    public const int MinimumSpendCustomers = 20;

    /// <summary>
    /// Fits BG/NBD (a failure throws: there is no model without it) and then Gamma-Gamma, whose failure
    /// is noted on the model instead: churn risk needs no spend model, only the predicted value does.
    /// </summary>
    /// <exception cref="ModelFitException">The BG/NBD fit failed, or its predictions fail on its own data.</exception>
    public static ChurnModel Fit(RfmSample purchases, SpendSample? spend, string? currency, Instant fittedAt, LocalDate asOf)
    {
        var bgNbd = BgNbdFitter.Fit(purchases);
        if (BgNbdPredictionCheck.FirstFailure(bgNbd.Parameters, purchases) is { } failure)
        {
            throw new ModelFitException($"The fitted BG/NBD model ({bgNbd.Parameters}) cannot predict for a customer it was fitted on, so it is not saved: {failure}");
        }

        var spendCustomers = spend?.Customers ?? 0;
        if (spend is null || spendCustomers < MinimumSpendCustomers)
        {
            return new ChurnModel(fittedAt, asOf, bgNbd, null, currency,
                $"no spend model: {spendCustomers} repeat customers with a known spend{(currency is null ? "" : " in " + currency)}, it needs {MinimumSpendCustomers}");
        }

        try
        {
            return new ChurnModel(fittedAt, asOf, bgNbd, GammaGammaFitter.Fit(spend), currency, null);
        }
        catch (ModelFitException ex)
        {
            return new ChurnModel(fittedAt, asOf, bgNbd, null, currency, "no spend model: " + ex.Message);
        }
    }
}
