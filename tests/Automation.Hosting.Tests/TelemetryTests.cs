using Automation.Ingestion;
using Automation.Testing;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Xunit;

namespace Automation.Hosting.Tests;

/// <summary>The instruments of docs/operations.md, against what the pipeline itself reports.</summary>
public sealed class TelemetryTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Rows_decisions_and_messages_are_counted_as_the_pipeline_reports_them()
    {
        var configuration = SamplePipeline.Configuration(_folder, await TestStores.SqliteAsync(_folder), "telemetry");
        var clock = new FakeClock(SamplePipeline.Now);
        await using var services = new ServiceCollection().AddSingleton<IClock>(clock).AddLogging().AddAutomation(configuration).BuildServiceProvider();
        using var metrics = new MetricRecorder(services);
        var jobs = services.GetRequiredService<PipelineJobs>();

        var inbox = SampleInbox.CopyTo(_folder);
        var results = new List<FileIngestionResult>();
        foreach (var export in new[] { "customers.csv", "transactions.csv", "consents.csv" }) results.Add(await jobs.IngestAsync(new LocalExportFile(Path.Combine(inbox, export))));
        var again = await jobs.IngestAsync(new LocalExportFile(Path.Combine(inbox, "customers.csv")));
        var preview = await services.GetRequiredService<Automation.Planning.PlanningService>().PlanAsync(SamplePipeline.Day, dryRun: true);
        var previewed = metrics.Sum("automation.planning.decisions");
        var plan = await jobs.PlanAsync(SamplePipeline.Day);
        clock.Now = SamplePipeline.DeliveryTime;
        var delivery = await jobs.DeliverDueAsync(SamplePipeline.Day);

        again.Status.Should().Be(FileStatus.Skipped);
        foreach (var result in results)
        {
            metrics.Sum("automation.ingestion.rows", ("kind", result.Kind!), ("outcome", "read")).Should().Be(result.RowsRead);
            metrics.Sum("automation.ingestion.rows", ("kind", result.Kind!), ("outcome", "accepted")).Should().Be(result.Accepted);
            metrics.Sum("automation.ingestion.rows", ("kind", result.Kind!), ("outcome", "rejected")).Should().Be(result.Rejected);
        }

        metrics.Sum("automation.ingestion.files", ("status", "completed")).Should().Be(3);
        metrics.Sum("automation.ingestion.files", ("kind", "customers"), ("status", "skipped")).Should().Be(1, "a skipped export is counted as a file, its rows not again");
        metrics.Count("automation.ingestion.duration").Should().Be(4);

        preview.Planned.Should().BePositive();
        previewed.Should().Be(0, "a dry run previews decisions; it decides nothing");
        plan.Planned.Should().BePositive();
        metrics.Sum("automation.planning.decisions", ("outcome", "planned")).Should().Be(plan.Planned);
        metrics.Sum("automation.planning.decisions", ("outcome", "held_out")).Should().Be(plan.HeldOut);
        foreach (var (trigger, planned) in plan.ByTrigger) metrics.Sum("automation.planning.decisions", ("trigger", trigger), ("outcome", "planned")).Should().Be(planned);
        foreach (var (reason, count) in plan.Suppressed) metrics.Sum("automation.planning.decisions", ("outcome", "suppressed"), ("reason", reason)).Should().Be(count);
        metrics.Count("automation.planning.duration").Should().Be(1);

        delivery.Sent.Should().BePositive();
        metrics.Sum("automation.delivery.messages", ("outcome", "sent")).Should().Be(delivery.Sent);
        foreach (var (reason, count) in delivery.Suppressed) metrics.Sum("automation.delivery.messages", ("outcome", "suppressed"), ("reason", reason)).Should().Be(count);
    }
}
