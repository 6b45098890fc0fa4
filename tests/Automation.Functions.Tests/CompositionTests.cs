using System.Linq.Expressions;
using Automation.Testing;
using FluentAssertions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Xunit;

namespace Automation.Functions.Tests;

[Collection(OneAtATime.Name)]
[Trait(Peers.Trait, Peers.Value)]
public sealed class CompositionTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static Expression<Func<LoggerFilterRule, bool>> WarningsOnlyForApplicationInsights =>
        rule => rule.ProviderName != null && rule.ProviderName.Contains("ApplicationInsights", StringComparison.Ordinal) && rule.LogLevel >= LogLevel.Warning;

    [Fact]
    public async Task Information_logs_reach_Application_Insights_because_its_warning_only_default_rule_is_removed()
    {
        await using var host = await FunctionsTestHost.StartAsync(await TestStores.SqliteAsync(_folder), Instant.FromUtc(2026, 11, 20, 5, 30));

        var rules = host.Services.GetRequiredService<IOptions<LoggerFilterOptions>>().Value.Rules;

        // What the Application Insights SDK alone leaves: a warnings-only rule for its provider.
        var sdkAlone = FunctionsApplication.CreateBuilder([]);
        sdkAlone.Services.AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights();
        using var withoutRemoval = sdkAlone.Build();
        withoutRemoval.Services.GetRequiredService<IOptions<LoggerFilterOptions>>().Value.Rules.Should().Contain(WarningsOnlyForApplicationInsights);

        rules.Should().NotContain(WarningsOnlyForApplicationInsights);
        host.Services.GetServices<ILoggerProvider>().Should().Contain(p => p.GetType().Name == "ApplicationInsightsLoggerProvider");
    }

    [Theory]
    [InlineData("Automation:Policies:SendWindow:Start", "9am", "Automation:Policies:SendWindow:Start must be a time of day as HH:mm (e.g. 09:00), got '9am'.")]
    [InlineData("Automation:Polices:DefaultTimeZone", "Europe/Rome", "Automation:Polices is not a section Automation knows; did you mean Automation:Policies? See docs/configuration.md.")]
    [InlineData("Automaton:Policies:DefaultTimeZone", "Europe/Rome", "Automaton is not a section Automation reads; did you mean Automation? Nothing under Automaton is used until it is spelt so.")]
    [InlineData("Automation:Personalization:FromAddress", "", "Automation:Personalization:FromAddress must be set.")]
    public void A_wrong_setting_stops_the_app_as_Program_builds_it_before_any_function_runs(string key, string value, string sentence)
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration
            .AddInMemoryCollection(FunctionsAppSettings.Sample())
            .AddInMemoryCollection([
                new("Automation:Personalization:TemplatesDirectory", FunctionsMetadata.RepositoryFile("samples", "templates")),
                new("Automation:Storage:Sqlite:DataDirectory", _folder.File("store")),
                new(key, value)]);

        var start = () => builder.AddAutomationFunctions().BuildCheckingSettings().Dispose();

        start.Should().Throw<Automation.Settings.SettingsValidationException>().Which.Problems.Should().Equal(sentence);
    }
}
