using Automation.Churn.GammaGamma;
using Automation.Churn.Summaries;
using Automation.Profiles.Storage;
using NodaTime;
using NodaTime.Text;

namespace Automation.Churn.Training;

/// <summary>What a scheduled refit did.</summary>
/// <param name="Model">The model planning will use: the new one, or the previous one when the fit was not due or failed.</param>
/// <param name="Failure">Why the fit failed; the previous model stays in use.</param>
public sealed record RefitOutcome(ChurnModel? Model, bool Refitted, string? Failure);

/// <summary>
/// Fits the churn model over every profile in the store and saves it. Reads each profile once and keeps
/// only distinct (x, t_x, T) rows and spends, so memory follows the variety of histories, not the
/// number of customers.
/// </summary>
public sealed class ChurnModelTrainer(ICustomerProfileStore profiles, IChurnModelStore models, IClock clock)
{
    /// <summary>Fits on the customers' histories up to <paramref name="asOf"/> and saves the model.</summary>
    /// <exception cref="ModelFitException">The BG/NBD fit failed; nothing is saved.</exception>
    public async Task<ChurnModel> FitAndSaveAsync(LocalDate asOf, CancellationToken cancellationToken = default)
    {
        var model = await FitAsync(asOf, cancellationToken);
        await models.SaveAsync(model, cancellationToken);
        return model;
    }

    /// <summary>Refits when no model was fitted within <paramref name="intervalDays"/> before <paramref name="asOf"/>.</summary>
    public async Task<RefitOutcome> RefitIfDueAsync(LocalDate asOf, int intervalDays, CancellationToken cancellationToken = default)
    {
        var latest = await models.LoadLatestAsync(cancellationToken);
        if (latest is not null && latest.AsOf.PlusDays(intervalDays) > asOf) return new RefitOutcome(latest, false, null);
        try
        {
            return new RefitOutcome(await FitAndSaveAsync(asOf, cancellationToken), true, null);
        }
        catch (ModelFitException ex)
        {
            return new RefitOutcome(latest, false, ex.Message);
        }
    }

    private async Task<ChurnModel> FitAsync(LocalDate asOf, CancellationToken cancellationToken)
    {
        var sample = new RfmSample();
        var spendByCurrency = new Dictionary<string, SpendSample>(StringComparer.Ordinal);
        await foreach (var profile in profiles.ReadAllAsync(cancellationToken))
        {
            if (ProfileHistory.Summary(profile.Purchases, asOf) is not { } summary) continue;
            sample.Add(summary);
            if (ProfileHistory.Spend(profile.Purchases, summary.Frequency) is { Currency: { } currency, RepeatMean: { } mean })
            {
                if (!spendByCurrency.TryGetValue(currency, out var spend)) spendByCurrency[currency] = spend = new SpendSample();
                spend.Add(summary.Frequency, mean);
            }
        }

        if (sample.Customers == 0) throw new ModelFitException($"There is no customer with a purchase up to {LocalDatePattern.Iso.Format(asOf)} to fit the churn model on.");
        // Amounts are never converted: the spend model speaks the currency most repeat customers buy in.
        var main = spendByCurrency.OrderByDescending(c => c.Value.Customers).ThenBy(c => c.Key, StringComparer.Ordinal).FirstOrDefault();
        return ChurnModelFitting.Fit(sample, main.Value, main.Key, clock.GetCurrentInstant(), asOf);
    }
}
