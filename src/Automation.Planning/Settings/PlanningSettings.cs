using Automation.Planning.Context;
using Automation.Settings;
using Microsoft.Extensions.Configuration;
using NodaTime;

namespace Automation.Planning.Settings;

/// <summary>
/// Everything that decides who gets what: the triggers under <c>Automation:Triggers</c>, the policies
/// under <c>Automation:Policies</c>. Where the context comes from (pollen providers) is Automation.ContextSources's.
/// </summary>
public sealed record PlanningSettings(BirthdaySettings Birthday, ChurnRiskSettings ChurnRisk, PollenSettings Pollen, PolicySettings Policies)
{
    public const string TriggersSection = "Automation:Triggers";
    public const string PoliciesSection = "Automation:Policies";

    private static readonly Dictionary<string, LeapDayRule> LeapDayRules = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Feb28"] = LeapDayRule.February28,
        ["Mar1"] = LeapDayRule.March1,
    };

    private static readonly Dictionary<string, PollenTargeting> Targetings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Area"] = PollenTargeting.Area,
        ["AllergyBuyers"] = PollenTargeting.AllergyBuyers,
    };

    /// <summary>Reads and validates; throws <see cref="SettingsValidationException"/> listing every wrong value.</summary>
    public static PlanningSettings Read(IConfiguration configuration)
    {
        var reader = new SettingsReader(configuration);
        var settings = Read(reader);
        reader.RejectUnknownKeys(TriggersSection);
        reader.RejectUnknownKeys(PoliciesSection);
        reader.ThrowIfInvalid();
        return settings;
    }

    private static PlanningSettings Read(SettingsReader reader)
    {
        const string birthday = TriggersSection + ":Birthday";
        var birthdaySettings = new BirthdaySettings(
            ReadTrigger(reader, birthday, enabled: true, priority: 1, cooldownDays: null),
            reader.WholeNumber(birthday + ":DaysBefore", 0, 0, 30, "days"),
            reader.Choice(birthday + ":LeapDayRule", LeapDayRule.February28, LeapDayRules),
            reader.WholeNumber(birthday + ":MinPlausibleAge", 14, 0, 150, "years"),
            reader.WholeNumber(birthday + ":MaxPlausibleAge", 100, 0, 150, "years"));
        if (birthdaySettings.MinPlausibleAge > birthdaySettings.MaxPlausibleAge)
        {
            reader.Error($"{birthday}:MinPlausibleAge ({birthdaySettings.MinPlausibleAge}) must not exceed {birthday}:MaxPlausibleAge ({birthdaySettings.MaxPlausibleAge}).");
        }

        const string churn = TriggersSection + ":ChurnRisk";
        var churnSettings = new ChurnRiskSettings(
            ReadTrigger(reader, churn, enabled: true, priority: 2, cooldownDays: 60),
            reader.WholeNumber(churn + ":MinPurchaseDays", 3, 2, 10_000, "purchase days"),
            reader.Number(churn + ":LapseMultiple", 3, 1, 100, "times the usual interval"),
            reader.Number(churn + ":AliveThreshold", 0.5, 0.001, 0.999, "probability"),
            reader.Number(churn + ":OneTimeBuyerRepeatChance", 0.1, 0, 0.999, "probability"),
            reader.WholeNumber(churn + ":MinRepeatCustomers", 100, 1, int.MaxValue, "customers"),
            reader.WholeNumber(churn + ":ValueHorizonDays", 365, 1, 3650, "days"),
            reader.Number(churn + ":AnnualDiscountRate", 0.1, 0, 1, "per year"),
            reader.WholeNumber(churn + ":RefitIntervalDays", 7, 1, 365, "days"));

        const string pollen = TriggersSection + ":Pollen";
        var pollenSettings = new PollenSettings(
            ReadTrigger(reader, pollen, enabled: false, priority: 3, cooldownDays: 7),
            reader.NumberMap(pollen + ":Thresholds", PollenTypes.DefaultThresholds, PollenTypes.All, double.Epsilon, double.MaxValue, "grains/m³"),
            reader.Choice(pollen + ":Targeting", PollenTargeting.Area, Targetings),
            reader.List(pollen + ":AllergyCategories", ["allergy"]));

        if (pollenSettings.Trigger.Enabled && pollenSettings.Thresholds.Count == 0)
        {
            reader.Error($"{pollen}:Thresholds must name at least one pollen type ({string.Join(", ", PollenTypes.All.Order(StringComparer.Ordinal))}).");
        }

        const string policies = PoliciesSection;
        var window = new SendWindow(
            reader.Time(policies + ":SendWindow:Start", new LocalTime(9, 0)),
            reader.Time(policies + ":SendWindow:End", new LocalTime(20, 0)));
        if (window.Start >= window.End)
        {
            reader.Error($"{policies}:SendWindow:Start ({SettingsReader.HourMinute.Format(window.Start)}) must be earlier than {policies}:SendWindow:End ({SettingsReader.HourMinute.Format(window.End)}); a window lies within one local day.");
        }

        var policySettings = new PolicySettings(
            reader.Zone(policies + ":DefaultTimeZone", "UTC"),
            window,
            reader.WholeNumber(policies + ":FrequencyCap:MaxMessages", 2, 1, 100, "messages"),
            reader.WholeNumber(policies + ":FrequencyCap:WindowDays", 7, 1, 365, "days"),
            reader.Text(policies + ":Holdout:Salt", "automation-holdout-1"));

        var settings = new PlanningSettings(birthdaySettings, churnSettings, pollenSettings, policySettings);
        foreach (var clash in settings.EnabledTriggers().GroupBy(t => t.Settings.Priority).Where(g => g.Count() > 1))
        {
            reader.Error($"{string.Join(" and ", clash.Select(t => $"{TriggersSection}:{t.Section}:Priority"))} are both {clash.Key}; each enabled trigger needs its own priority (1 goes first).");
        }

        return settings;
    }

    private IEnumerable<(string Section, TriggerSettings Settings)> EnabledTriggers() =>
        new[] { ("Birthday", Birthday.Trigger), ("ChurnRisk", ChurnRisk.Trigger), ("Pollen", Pollen.Trigger) }.Where(t => t.Item2.Enabled);

    private static TriggerSettings ReadTrigger(SettingsReader reader, string section, bool enabled, int priority, int? cooldownDays) => new(
        reader.Bool(section + ":Enabled", enabled),
        reader.WholeNumber(section + ":Priority", priority, 1, 1000, ""),
        reader.Number(section + ":HoldoutPercent", 0, 0, 100, "percent"),
        cooldownDays is { } days ? reader.WholeNumber(section + ":CooldownDays", days, 0, 3650, "days") : 0);
}
