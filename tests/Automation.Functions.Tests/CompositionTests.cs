using Automation.Testing;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;

namespace Automation.Functions.Tests;

[Collection(OneAtATime.Name)]
public sealed class CompositionTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Information_logs_reach_Application_Insights_because_its_warning_only_default_rule_is_removed()
    {
        await using var host = await FunctionsTestHost.StartAsync(await TestStores.SqliteAsync(_folder));

        var rules = host.Services.GetRequiredService<IOptions<LoggerFilterOptions>>().Value.Rules;

        rules.Should().NotContain(rule => rule.ProviderName != null && rule.ProviderName.Contains("ApplicationInsights", StringComparison.Ordinal)
            && rule.LogLevel >= LogLevel.Warning);
        host.Services.GetServices<ILoggerProvider>().Should().Contain(p => p.GetType().Name == "ApplicationInsightsLoggerProvider");
    }
}
