using System.Globalization;
using Automation.Planning.Context;
using Automation.Planning.Settings;
using Automation.Profiles.Model;
using NodaTime;
using NodaTime.Text;

namespace Automation.Planning.Triggers;

/// <summary>
/// Fires when tomorrow's forecast in the customer's area reaches a configured threshold. By default it
/// knows nothing about the customer but where they live. Purchases of allergy-related categories are
/// health-adjacent: they select (targeting <c>AllergyBuyers</c>) or personalise the message only for
/// customers who opted in to health-related personalization, which the sensitive-data policy enforces.
/// </summary>
public sealed class PollenTrigger(PollenSettings settings) : ITrigger
{
    public const string TriggerName = "pollen";

    public string Name => TriggerName;
    public TriggerSettings Settings => settings.Trigger;
    public bool HealthRelated => true;

    public TriggerCandidate Example(LocalDate date)
    {
        var threshold = settings.Thresholds.GetValueOrDefault("grass", 20);
        return new TriggerCandidate(Name, "example", "grass pollen above its threshold tomorrow (an example)", new Dictionary<string, string>
        {
            ["pollen_type"] = "grass",
            ["pollen_level"] = Math.Round(threshold * 3).ToString(CultureInfo.InvariantCulture),
            ["pollen_threshold"] = threshold.ToString(CultureInfo.InvariantCulture),
            ["forecast_date"] = LocalDatePattern.Iso.Format(date.PlusDays(1)),
            ["area"] = "Milano",
            ["allergy_buyer"] = "true",
        }, CooldownKey: $"{Name}:grass");
    }

    public TriggerCandidate? Evaluate(CustomerProfile profile, DayContext context, LocalDate date)
    {
        var tomorrow = date.PlusDays(1);
        if (context.Pollen.Date != tomorrow || context.Pollen.For(profile) is not { } forecast) return null;
        if (Highest(forecast) is not var (type, level, threshold)) return null;

        var boughtAllergyProducts = BoughtAllergyProducts(profile);
        var usesPurchases = settings.Targeting switch
        {
            PollenTargeting.AllergyBuyers => true,
            // Ranking by purchases only where the customer allowed it; everyone else gets the area message.
            _ => boughtAllergyProducts && IsHealthOptedIn(profile),
        };
        if (settings.Targeting == PollenTargeting.AllergyBuyers && !boughtAllergyProducts) return null;

        var forecastDate = LocalDatePattern.Iso.Format(tomorrow);
        // Grid areas have no name; the customer's own city reads better in a message than a cell id.
        var place = forecast.AreaName ?? profile.City ?? forecast.AreaId;
        var data = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["pollen_type"] = type,
            ["pollen_level"] = Math.Round(level).ToString(CultureInfo.InvariantCulture),
            ["pollen_threshold"] = threshold.ToString(CultureInfo.InvariantCulture),
            ["forecast_date"] = forecastDate,
            ["area"] = place,
        };
        if (usesPurchases) data["allergy_buyer"] = "true";
        var reason = $"{type} pollen forecast {data["pollen_level"]} grains/m³ in {Describe(forecast)} on {forecastDate} (threshold {data["pollen_threshold"]})"
            + (usesPurchases ? "; bought allergy-related products" : "");
        return new TriggerCandidate(Name, $"{type}:{forecastDate}", reason, data, usesPurchases, CooldownKey: $"{Name}:{type}");
    }

    public string ExplainSilence(CustomerProfile profile, DayContext context, LocalDate date)
    {
        if (context.Pollen.Date != date.PlusDays(1) || context.Pollen.IsEmpty) return $"no pollen forecasts for {LocalDatePattern.Iso.Format(date.PlusDays(1))}";
        if (context.Pollen.For(profile) is not { } forecast)
        {
            return context.Pollen.CustomerAreas.AreaOf(profile) is { } areaId
                ? $"no pollen forecast for area {areaId} (it was not in the set of areas when the forecasts were fetched)"
                : "no forecast area: " + context.Pollen.CustomerAreas.WhyNoArea(profile);
        }

        if (forecast.Unavailable is { } why) return $"no pollen forecast for {Describe(forecast)} on {LocalDatePattern.Iso.Format(forecast.Date)}: {why}";
        if (Highest(forecast) is null) return $"no pollen type at or above its threshold in {Describe(forecast)} tomorrow";
        return "targets buyers of allergy-related products only, and the customer bought none";
    }

    private static string Describe(AreaForecast forecast) => forecast.AreaName ?? forecast.AreaId;

    /// <summary>The type furthest above its threshold: one pollen message a day is plenty.</summary>
    private (string Type, double Level, double Threshold)? Highest(AreaForecast forecast)
    {
        (string, double, double)? best = null;
        var bestRatio = 0.0;
        foreach (var (type, threshold) in settings.Thresholds)
        {
            if (!forecast.Levels.TryGetValue(type, out var level) || level < threshold) continue;
            var ratio = level / threshold;
            if (ratio > bestRatio) (best, bestRatio) = ((type, level, threshold), ratio);
        }

        return best;
    }

    private bool BoughtAllergyProducts(CustomerProfile profile) =>
        settings.AllergyCategories.Any(category => profile.Purchases.Categories.Keys.Any(k => string.Equals(k, category, StringComparison.OrdinalIgnoreCase)));

    private static bool IsHealthOptedIn(CustomerProfile profile) =>
        profile.Consents.TryGetValue(ConsentChannels.HealthPersonalization, out var consent) && consent.IsOptedIn;
}
