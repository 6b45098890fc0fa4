using Automation.Settings;
using Automation.Testing;
using FluentAssertions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Automation.Hosting.Tests;

/// <summary>Every settings type of the pipeline, read as a host reads them at start.</summary>
public sealed class SettingsAtStartTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private IReadOnlyList<string> Problems(bool sending, params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?> { ["Automation:Storage:Sqlite:DataDirectory"] = _folder.File("store") };
        foreach (var (key, value) in settings) values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        using var services = new ServiceCollection().AddLogging().AddAutomation(configuration).BuildServiceProvider();
        try
        {
            services.ValidateAutomationSettings(sending);
            return [];
        }
        catch (SettingsValidationException ex)
        {
            return ex.Problems;
        }
    }

    [Fact]
    public void Defaults_need_nothing_set_to_ingest_and_look_but_sending_needs_the_sender_and_the_links_base_and_key()
    {
        Problems(sending: false).Should().BeEmpty();
        Problems(sending: true).Should().Equal(
            "Automation:Personalization:PublicBaseUrl must be set.",
            "Automation:Personalization:FromAddress must be set.",
            "Automation:Personalization:LinkKeys must be set (in Azure, a Key Vault reference): the keys that sign the links in mail.");
    }

    [Fact]
    public void A_sending_host_hears_of_what_sending_lacks_beside_a_wrong_value_elsewhere()
    {
        Problems(true, ("Automation:Policies:SendWindow:Start", "9am")).Should().BeEquivalentTo(
            "Automation:Policies:SendWindow:Start must be a time of day as HH:mm (e.g. 09:00), got '9am'.",
            "Automation:Personalization:PublicBaseUrl must be set.",
            "Automation:Personalization:FromAddress must be set.",
            "Automation:Personalization:LinkKeys must be set (in Azure, a Key Vault reference): the keys that sign the links in mail.");
    }

    [Fact]
    public void A_wrong_value_in_any_section_stops_the_start_and_every_problem_of_every_section_is_listed()
    {
        Problems(false,
                ("Automation:Policies:SendWindow:Start", "9am"),
                ("Automation:Ingestion:BatchSize", "lots"),
                ("Automation:Delivery:BatchSize", "0"),
                ("Automation:Pollen:MaxRetries", "many"),
                ("Automation:Storage:Sqlite:ProfileCacheSize", "10"))
            .Should().BeEquivalentTo(
                "Automation:Policies:SendWindow:Start must be a time of day as HH:mm (e.g. 09:00), got '9am'.",
                "Automation:Ingestion:BatchSize must be a whole number of rows from 1 to 1000000, got 'lots'.",
                "Automation:Delivery:BatchSize must be a whole number of messages from 1 to 10000, got '0'.",
                "Automation:Pollen:MaxRetries must be a whole number of retries from 0 to 10, got 'many'.",
                "Automation:Storage:Sqlite:ProfileCacheSize must be a whole number of profiles from 1000 to 10000000, got '10'.");
    }

    [Theory]
    [InlineData("Automation:Ingestion:CommitEveryRow", "Automation:Ingestion:CommitEveryRow is not a setting Automation knows; did you mean Automation:Ingestion:CommitEveryRows?")]
    [InlineData("Automation:Ingestion:Encodings:*.csv", null)]
    [InlineData("Automation:Storage:Backnd", "Automation:Storage:Backnd is not a setting Automation knows; did you mean Automation:Storage:Backend?")]
    [InlineData("Automation:Storage:Sqlite:FileNme", "Automation:Storage:Sqlite:FileNme is not a setting Automation knows; did you mean Automation:Storage:Sqlite:FileName?")]
    [InlineData("Automation:Clock:Today", "Automation:Clock:Today is not a setting Automation knows. Check its spelling")]
    [InlineData("Automation:Delivery:Outbox:Directry", "Automation:Delivery:Outbox:Directry is not a setting Automation knows; did you mean Automation:Delivery:Outbox:Directory?")]
    [InlineData("Automation:SendGrid:ApiKye", "Automation:SendGrid:ApiKye is not a setting Automation knows; did you mean Automation:SendGrid:ApiKey?")]
    public void A_key_nothing_reads_is_refused_with_the_key_it_probably_meant(string key, string? sentence)
    {
        var problems = Problems(false, (key, key.EndsWith("*.csv", StringComparison.Ordinal) ? "windows-1251" : "1"));

        if (sentence is null) problems.Should().BeEmpty();
        else problems.Should().ContainSingle().Which.Should().StartWith(sentence);
    }

    [Theory]
    [InlineData("Automaton:Policies:DefaultTimeZone", "Automaton is not a section Automation reads; did you mean Automation? Nothing under Automaton is used until it is spelt so.")]
    [InlineData("automatoin:Ingestion:BatchSize", "automatoin is not a section Automation reads; did you mean Automation?")]
    [InlineData("Automation:Polices:DefaultTimeZone", "Automation:Polices is not a section Automation knows; did you mean Automation:Policies? See docs/configuration.md.")]
    [InlineData("Automation:Trigers:Birthday:Enabled", "Automation:Trigers is not a section Automation knows; did you mean Automation:Triggers?")]
    [InlineData("Automation:Marketing:Budget", "Automation:Marketing is not a section Automation knows; the sections are Areas, Clock, Cosmos, Delivery, Ingestion,")]
    [InlineData("Automation:Context:Pollen:ForecastFile", "Automation:Context is not a section Automation knows; its pollen settings moved to Automation:Pollen (ForecastFile is now Automation:Pollen:ForecastFile).")]
    public void A_misspelt_section_is_refused_rather_than_leaving_its_settings_at_their_defaults(string key, string sentence)
    {
        Problems(false, (key, "Europe/Rome")).Should().ContainSingle().Which.Should().StartWith(sentence);
    }

    [Fact]
    public void Sections_that_only_resemble_automation_from_afar_are_left_to_their_owners()
    {
        Problems(false, ("AzureWebJobsStorage", "UseDevelopmentStorage=true"), ("ExportsContainer", "exports"), ("Authentication:Mode", "x"))
            .Should().BeEmpty();
    }

    [Fact]
    public void Every_documented_key_of_the_samples_is_known()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(SharedData.RepositoryRoot, "samples", "settings.json"))
            .AddInMemoryCollection([
                new("Automation:Storage:Sqlite:DataDirectory", _folder.File("store")),
                new("Automation:Personalization:TemplatesDirectory", Path.Combine(SharedData.RepositoryRoot, "samples", "templates")),
                new("Automation:Pollen:ForecastFile", Path.Combine(SharedData.RepositoryRoot, "samples", "pollen-forecasts.json"))])
            .Build();
        // As the command line composes it: without configured keys, its own in the data folder.
        using var services = new ServiceCollection().AddLogging().AddAutomation(configuration).AddDataFolderLinkKey(configuration).BuildServiceProvider();

        var validate = () => services.ValidateAutomationSettings(sending: true);

        validate.Should().NotThrow();
    }
}
