using Automation.Planning.Settings;
using Automation.Testing;
using FluentAssertions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Automation.Hosting.Tests;

/// <summary>The Functions app's sample settings, read as its worker reads app settings (A__B means A:B).</summary>
public sealed class FunctionsSettingsTests
{
    [Fact]
    public void Every_setting_in_the_sample_is_one_the_pipeline_knows_and_accepts()
    {
        var values = FunctionsAppSettings.Sample();
        values["Automation:Personalization:TemplatesDirectory"] = Path.Combine(SharedData.RepositoryRoot, "samples", "templates");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        using var services = new ServiceCollection().AddLogging().AddAutomation(configuration).BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var validate = () => services.ValidateAutomationSettings();
        validate.Should().NotThrow();
        services.GetRequiredService<PlanningSettings>().Policies.DefaultTimeZone.Id.Should().Be("Europe/Rome");
    }

    [Fact]
    public void Every_pipeline_setting_in_the_sample_is_documented()
    {
        var documented = File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "docs", "configuration.md"));

        FunctionsAppSettings.Sample().Keys.Where(key => key.StartsWith("Automation:", StringComparison.Ordinal))
            .Select(key => System.Text.RegularExpressions.Regex.Replace(key, ":(Thresholds):[a-z]+$", ":$1:<type>"))
            .Where(key => !documented.Contains($"`{key}`", StringComparison.Ordinal) && !documented.Contains($"`{key[(key.LastIndexOf(':') + 1)..]}`", StringComparison.Ordinal))
            .Should().BeEmpty();
    }
}
