using Automation.Settings;
using Automation.Planning.Settings;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Planning.Tests;

public sealed class SettingsTests
{
    private static IEnumerable<string> Problems(params (string, string)[] settings) =>
        FluentActions.Invoking(() => Planner.ReadSettings(settings)).Should().Throw<SettingsValidationException>().Which.Problems;

    [Fact]
    public void Defaults_are_valid_and_documented_values()
    {
        var settings = Planner.ReadSettings();

        settings.Birthday.Trigger.Enabled.Should().BeTrue();
        settings.Pollen.Trigger.Enabled.Should().BeFalse();
        settings.Policies.SendWindow.Should().Be(new SendWindow(new LocalTime(9, 0), new LocalTime(20, 0)));
        settings.Policies.DefaultTimeZone.Should().Be(DateTimeZone.Utc);
        // The National Allergy Bureau's "high" bands: grass from 20, trees from 90, weeds from 50 grains/m³.
        settings.Pollen.Thresholds.Should().Equal(new Dictionary<string, double>
        {
            ["alder"] = 90, ["birch"] = 90, ["grass"] = 20, ["mugwort"] = 50, ["olive"] = 90, ["ragweed"] = 50,
        });
    }

    [Fact]
    public void A_wrong_threshold_names_the_key_the_unit_and_the_value()
    {
        Problems(("Automation:Triggers:Pollen:Thresholds:grass", "high")).Should().Contain(
            "Automation:Triggers:Pollen:Thresholds:grass must be a positive number of grains/m³, got 'high'.");
        Problems(("Automation:Triggers:Pollen:Thresholds:grass", "0")).Should().Contain(
            "Automation:Triggers:Pollen:Thresholds:grass must be a positive number of grains/m³, got '0'.");
        Problems(("Automation:Triggers:Pollen:Thresholds:cedar", "10")).Should().ContainSingle()
            .Which.Should().Be("Automation:Triggers:Pollen:Thresholds:cedar is not a known name; use one of alder, birch, grass, mugwort, olive, ragweed.");
    }

    [Theory]
    [InlineData("Automation:Triggers:Birthday:LeapDayRule", "Feb30", "Automation:Triggers:Birthday:LeapDayRule must be one of 'Feb28', 'Mar1', got 'Feb30'.")]
    [InlineData("Automation:Triggers:Birthday:Enabled", "yes please", "Automation:Triggers:Birthday:Enabled must be true or false, got 'yes please'.")]
    [InlineData("Automation:Triggers:ChurnRisk:CooldownDays", "-1", "Automation:Triggers:ChurnRisk:CooldownDays must be a whole number of days from 0 to 3650, got '-1'.")]
    [InlineData("Automation:Triggers:ChurnRisk:HoldoutPercent", "120", "Automation:Triggers:ChurnRisk:HoldoutPercent must be a number of percent from 0 to 100, got '120'.")]
    [InlineData("Automation:Policies:SendWindow:Start", "9am", "Automation:Policies:SendWindow:Start must be a time of day as HH:mm (e.g. 09:00), got '9am'.")]
    [InlineData("Automation:Policies:DefaultTimeZone", "Rome", "Automation:Policies:DefaultTimeZone must be an IANA time zone such as Europe/Rome or America/New_York, got 'Rome'.")]
    [InlineData("Automation:Triggers:Birthdy:Enabled", "true", "Automation:Triggers:Birthdy:Enabled is not a setting Automation knows; did you mean Automation:Triggers:Birthday:Enabled? Check its spelling against docs/configuration.md.")]
    [InlineData("Automation:Triggers:Pollen:Cooldown", "7", "Automation:Triggers:Pollen:Cooldown is not a setting Automation knows; did you mean Automation:Triggers:Pollen:CooldownDays? Check its spelling against docs/configuration.md.")]
    [InlineData("Automation:Triggers:Birthday:Colour", "red", "Automation:Triggers:Birthday:Colour is not a setting Automation knows. Check its spelling against docs/configuration.md.")]
    public void Each_wrong_value_gets_a_sentence_naming_key_value_and_what_is_allowed(string key, string value, string sentence)
    {
        Problems((key, value)).Should().Equal(sentence);
    }

    [Fact]
    public void Rules_across_settings_are_checked_too()
    {
        Problems(("Automation:Policies:SendWindow:Start", "21:00")).Should().Equal(
            "Automation:Policies:SendWindow:Start (21:00) must be earlier than Automation:Policies:SendWindow:End (20:00); a window lies within one local day.");
        Problems(("Automation:Triggers:ChurnRisk:Priority", "1")).Should().Equal(
            "Automation:Triggers:Birthday:Priority and Automation:Triggers:ChurnRisk:Priority are both 1; each enabled trigger needs its own priority (1 goes first).");
    }

    [Fact]
    public void A_list_may_be_one_comma_separated_value_as_environment_variables_give_it()
    {
        Planner.ReadSettings(("Automation:Triggers:Pollen:AllergyCategories", "allergy, hay fever")).Pollen.AllergyCategories.Should().Equal("allergy", "hay fever");
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        Problems(("Automation:Triggers:Birthday:DaysBefore", "many"), ("Automation:Policies:FrequencyCap:MaxMessages", "0")).Should().HaveCount(2);
    }
}
