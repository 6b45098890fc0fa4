using System.Linq.Expressions;
using Automation.Testing;
using FluentAssertions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Xunit;

namespace Automation.Functions.Tests;

[Collection(OneAtATime.Name)]
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
}
