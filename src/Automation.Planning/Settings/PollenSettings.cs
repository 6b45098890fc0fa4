namespace Automation.Planning.Settings;

public sealed record PollenSettings(
    TriggerSettings Trigger,
    IReadOnlyDictionary<string, double> Thresholds,
    PollenTargeting Targeting,
    IReadOnlyList<string> AllergyCategories);
