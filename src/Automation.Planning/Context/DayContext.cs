using Automation.Planning.Triggers;

namespace Automation.Planning.Context;

/// <summary>What a trigger may know about the day besides the profile, loaded once before the pass.</summary>
/// <param name="Churn">The churn model in force: the latest saved BG/NBD fit, or the interval rule while there is none usable.</param>
public sealed record DayContext(PollenForecasts Pollen, IChurnRiskModel Churn);
