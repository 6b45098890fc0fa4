using System.Diagnostics;
using Automation.Testing;
using FluentAssertions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;
using Xunit;

namespace Automation.Functions.Tests;

[Collection(OneAtATime.Name)]
[Trait(Peers.Trait, Peers.Value)]
public sealed class CompositionTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Information_logs_spans_and_metrics_of_the_pipeline_reach_the_exporters_with_the_export_named_and_no_address()
    {
        var logs = new List<LogRecord>();
        var spans = new List<Activity>();
        await using var host = await FunctionsTestHost.StartAsync(await TestStores.SqliteAsync(_folder), Instant.FromUtc(2026, 11, 20, 5, 30),
            services => services.AddOpenTelemetry().WithLogging(l => l.AddInMemoryExporter(logs)).WithTracing(t => t.AddInMemoryExporter(spans)));
        // The worker's host would start these; the test does not run the host.
        using var tracing = host.Services.GetRequiredService<TracerProvider>();

        var result = await host.Services.GetRequiredService<Automation.Hosting.PipelineJobs>().IngestAsync(
            new Automation.Ingestion.LocalExportFile(Path.Combine(SampleInbox.CopyTo(_folder), "customers.csv")));
        tracing.ForceFlush();
        host.Services.GetRequiredService<LoggerProvider>().ForceFlush();

        result.Status.Should().Be(Automation.Ingestion.FileStatus.Completed);
        host.Services.GetRequiredService<IOptions<LoggerFilterOptions>>().Value.Rules
            .Should().NotContain(rule => rule.ProviderName != null && rule.ProviderName.Contains("OpenTelemetry", StringComparison.Ordinal) && rule.LogLevel > LogLevel.Information);
        var ingested = logs.Should().Contain(l => l.LogLevel == LogLevel.Information && l.Body != null && l.Body.StartsWith("Ingested {File}", StringComparison.Ordinal)).Subject;
        var scopes = new List<KeyValuePair<string, object?>>();
        ingested.ForEachScope((scope, state) => { foreach (var item in scope) state.Add(item); }, scopes);
        scopes.Should().Contain(new KeyValuePair<string, object?>("Export", "customers.csv")).And.Contain(p => p.Key == "ContentId");
        spans.Should().ContainSingle(a => a.DisplayName == "ingest export").Which.GetTagItem("automation.export.status").Should().Be("completed");
        logs.Select(l => l.FormattedMessage ?? l.Body ?? "").Should().NotContain(text => text.Contains('@'), "log lines never carry an address");
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
