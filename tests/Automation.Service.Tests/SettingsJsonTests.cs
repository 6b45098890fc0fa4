using System.Text.Json;
using Automation.Service.Settings;
using FluentAssertions;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Automation.Service.Tests;

/// <summary>A key of a settings file changed as the configuration reads it, and nothing else in the file.</summary>
public sealed class SettingsJsonTests
{
    private const string File = """
        {
          // the shop's settings
          "Automation": {
            "triggers": { "birthday": { "Enabled": true, "DaysBefore": 0 } },
            "Policies:FrequencyCap:MaxMessages": 2,
            "Pollen": { "AllergyCategories": [ "allergy" ] },
          }
        }
        """;

    private static IConfiguration Read(string json) => new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();

    [Fact]
    public void A_key_is_changed_where_the_file_has_it_whatever_its_case_and_the_rest_stays()
    {
        var changed = SettingsJson.Change(File, "Automation:Triggers:Birthday:DaysBefore", "3", list: false);

        var configuration = Read(changed);
        configuration["Automation:Triggers:Birthday:DaysBefore"].Should().Be("3");
        configuration["Automation:Triggers:Birthday:Enabled"].Should().Be("True");
        configuration["Automation:Policies:FrequencyCap:MaxMessages"].Should().Be("2");
        configuration.GetSection("Automation:Pollen:AllergyCategories").GetChildren().Select(c => c.Value).Should().Equal("allergy");
        using var document = JsonDocument.Parse(changed);
        document.RootElement.GetProperty("Automation").GetProperty("triggers").GetProperty("birthday").EnumerateObject().Select(p => p.Name)
            .Should().Equal(["Enabled", "DaysBefore"], "the file's own spelling is kept, and no second Triggers object appears");
    }

    [Fact]
    public void A_key_written_with_colons_is_replaced_not_shadowed_and_a_new_key_nests()
    {
        var changed = SettingsJson.Change(File, "Automation:Policies:FrequencyCap:MaxMessages", "4", list: false);
        changed = SettingsJson.Change(changed, "Automation:Policies:SendWindow:Start", "10:00", list: false);

        var configuration = Read(changed);
        configuration["Automation:Policies:FrequencyCap:MaxMessages"].Should().Be("4");
        configuration["Automation:Policies:SendWindow:Start"].Should().Be("10:00");
        changed.Should().NotContain("Policies:FrequencyCap");
        SettingsJson.Read(changed, "automation:policies:frequencycap:maxmessages").Should().Be("4");
    }

    [Fact]
    public void No_value_removes_the_key_and_the_objects_it_leaves_empty()
    {
        var changed = SettingsJson.Change(File, "Automation:Pollen:AllergyCategories", null, list: true);

        Read(changed).GetSection("Automation:Pollen").Exists().Should().BeFalse();
        SettingsJson.Read(changed, "Automation:Pollen:AllergyCategories").Should().BeNull();
        SettingsJson.Read(changed, "Automation:Triggers:Birthday:Enabled").Should().Be("true");
    }

    [Fact]
    public void A_list_is_written_as_an_array_of_its_values()
    {
        var changed = SettingsJson.Change(File, "Automation:Pollen:AllergyCategories", "allergy, hay fever ,antihistamines", list: true);

        Read(changed).GetSection("Automation:Pollen:AllergyCategories").GetChildren().Select(c => c.Value).Should().Equal("allergy", "hay fever", "antihistamines");
        SettingsJson.Read(changed, "Automation:Pollen:AllergyCategories").Should().Be("allergy, hay fever, antihistamines");
    }

    [Fact]
    public void A_file_that_does_not_exist_yet_becomes_one_with_the_key()
    {
        Read(SettingsJson.Change(null, "Automation:Triggers:Pollen:Enabled", "true", list: false))["Automation:Triggers:Pollen:Enabled"].Should().Be("true");
        FluentActions.Invoking(() => SettingsJson.Change("[1, 2]", "Automation:X", "1", list: false)).Should().Throw<JsonException>();
    }
}
