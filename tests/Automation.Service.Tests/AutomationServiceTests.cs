using Automation.Profiles.Identifiers;
using Automation.Delivery;
using Automation.Ingestion;
using Automation.Messages;
using Automation.Testing;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using Xunit;

namespace Automation.Service.Tests;

[Trait(Peers.Trait, Peers.Value)]
public sealed class AutomationServiceTests : IDisposable
{
    // After the 05:00 UTC plan of the day ahead (23 November) was due.
    private static readonly Instant AfterPlanTime = Instant.FromUtc(2026, 11, 22, 5, 30);
    // 23 November, inside the send windows of the sample customers in Asia and Europe (not yet in New York).
    private static readonly Instant DeliveryTime = Instant.FromUtc(2026, 11, 23, 10, 30);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [MemberData(nameof(TestStores.Backends), MemberType = typeof(TestStores))]
    public async Task Exports_dropped_while_serving_are_ingested_once_and_planned_when_the_schedule_fires(string backend)
    {
        var service = new ServiceHarness(_folder, await TestStores.ForBackendAsync(backend, _folder), new FakeClock(Instant.FromUtc(2026, 11, 22, 4, 0)));
        await service.StartAsync();
        await service.WaitUntilCaughtUpAsync();
        service.Activity.Plans.Should().Be(0, "04:00 UTC is before the 05:00 plan");

        service.DropSampleExports();
        await service.WaitUntilCaughtUpAsync(a => a.FilesIngested == 3);
        service.Activity.Plans.Should().Be(0);
        service.HandedOver.Should().BeEmpty("nothing is planned before the schedule fires");

        // The same content under another name is known by its content id.
        File.Copy(Path.Combine(service.Inbox, "customers.csv"), Path.Combine(service.Inbox, "customers-again.csv"));
        service.Clock.Now = Instant.FromUtc(2026, 11, 22, 5, 0, 1);
        await service.WaitUntilCaughtUpAsync(a => a.Plans == 1);
        service.HandedOver.Should().BeEmpty("the plan is of the day ahead, and the outbox takes a message when it is due");
        service.Clock.Now = DeliveryTime;
        await service.WaitUntilCaughtUpAsync(a => a.Plans == 2);
        await service.StopAsync();

        service.HandedOver.Should().NotBeEmpty().And.OnlyHaveUniqueItems();
        File.ReadLines(Path.Combine(service.Outbox, "index.jsonl")).Should().HaveCount(service.HandedOver.Count);
        File.Exists(Path.Combine(service.Inbox, "customers.csv" + ReportNames.SummarySuffix)).Should().BeTrue("reports are written next to each export");
        File.Exists(Path.Combine(service.Inbox, "customers-again.csv" + ReportNames.SummarySuffix)).Should().BeFalse("a known content is skipped, not ingested again");
    }

    [Fact]
    public async Task The_retention_pass_runs_when_the_schedule_fires_and_erases_the_customers_inactive_for_longer_than_the_setting()
    {
        var service = new ServiceHarness(_folder, await TestStores.SqliteAsync(_folder), new FakeClock(Instant.FromUtc(2026, 11, 22, 4, 0)));
        await service.StartAsync(settings: ("Automation:Retention:InactiveMonths", "12"));
        service.DropSampleExports();
        File.WriteAllText(Path.Combine(service.Inbox, "customers-archive.csv"), "customer_id,email,updated_at\nC0000999,long.gone@example.com,2020-01-01T00:00:00Z\n");
        await service.WaitUntilCaughtUpAsync(a => a.FilesIngested == 4);
        var store = service.Services.GetRequiredService<Automation.Profiles.Storage.ICustomerProfileStore>();
        (await store.GetAsync("C0000999")).Should().NotBeNull("the pass waits for the schedule");

        service.Clock.Now = Instant.FromUtc(2026, 11, 22, 5, 0, 1);
        await service.WaitUntilCaughtUpAsync(a => a.Plans == 1);
        await service.StopAsync();

        (await store.GetAsync("C0000999")).Should().BeNull();
        (await store.GetAsync("C0000001")).Should().NotBeNull("updated within the last twelve months");
    }

    [Fact]
    public async Task A_consents_export_that_failed_part_way_stops_plan_and_delivery_naming_the_file_in_the_log_until_it_lands_whole()
    {
        var service = new ServiceHarness(_folder, await TestStores.SqliteAsync(_folder), new FakeClock(AfterPlanTime));
        var log = new LogLines();
        var consents = Gzip.Compress(File.ReadAllBytes(Path.Combine(SharedData.RepositoryRoot, "samples", "inbox", "consents.csv")));
        foreach (var name in new[] { "customers.csv", "transactions.csv" })
        {
            File.Copy(Path.Combine(SharedData.RepositoryRoot, "samples", "inbox", name), Path.Combine(service.Inbox, name));
        }

        File.WriteAllBytes(Path.Combine(service.Inbox, "consents.csv.gz"), Gzip.Truncated(consents));
        await service.StartAsync(services => services.AddSingleton<ILoggerProvider>(log));
        await service.WaitUntilCaughtUpAsync(a => a.FilesIngested == 3);

        service.Activity.Plans.Should().Be(0, "an opt-out may be in the part of the consents export not read");
        service.HandedOver.Should().BeEmpty();
        log.Lines.Should().Contain(l => l.StartsWith("Nothing is planned: the consents export consents.csv.gz is not completely ingested", StringComparison.Ordinal))
            .And.ContainSingle(l => l.StartsWith("Nothing is planned: ", StringComparison.Ordinal), "said once, not on every pass");
        log.Lines.Should().NotContain(l => l.StartsWith("Churn model fit", StringComparison.Ordinal), "nothing of the plan's work is done while the gate is closed");

        File.WriteAllBytes(Path.Combine(service.Inbox, "consents.csv.gz"), consents);
        await service.WaitUntilCaughtUpAsync(a => a.Plans == 1);
        service.Clock.Now = DeliveryTime;
        await service.WaitUntilCaughtUpAsync();
        await service.StopAsync();

        service.HandedOver.Should().NotBeEmpty("the day is planned, and delivered when due, once the export landed whole");
        log.Lines.Should().Contain(l => l.Contains("consents", StringComparison.Ordinal) && l.Contains("open", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>What the service logs, as text.</summary>
    private sealed class LogLines : ILoggerProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => _lines.ToList();

        public ILogger CreateLogger(string categoryName) => new Logger(_lines);

        public void Dispose()
        {
        }

        private sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception));
        }
    }

    [Theory]
    [MemberData(nameof(TestStores.Backends), MemberType = typeof(TestStores))]
    public async Task A_day_missed_while_the_service_was_down_is_planned_late_on_start_and_the_day_ahead_waits_for_its_schedule(string backend)
    {
        // Up on the 21st after 05:00 UTC: it plans the 22nd, its day ahead.
        var service = new ServiceHarness(_folder, await TestStores.ForBackendAsync(backend, _folder), new FakeClock(Instant.FromUtc(2026, 11, 21, 5, 30)));
        service.DropSampleExports();
        await service.StartAsync();
        await service.WaitUntilCaughtUpAsync(a => a.Plans == 1);
        await service.StopAsync();

        // Down through 05:00 UTC on the 22nd, when the 23rd should have been planned; started again at 03:00 UTC on the 23rd,
        // while the 23rd is under way in Asia and ahead elsewhere.
        service.Clock.Now = Instant.FromUtc(2026, 11, 23, 3, 0);
        await service.StartAsync();
        await service.WaitUntilCaughtUpAsync(a => a.Plans == 1);
        service.Activity.Plans.Should().Be(1, "the missed 23rd is planned at once, late; the 24th waits for the 05:00 firing");

        service.Clock.Now = Instant.FromUtc(2026, 11, 23, 5, 0, 1);
        await service.WaitUntilCaughtUpAsync(a => a.Plans == 2);
        service.Clock.Now = Instant.FromUtc(2026, 11, 23, 5, 30);
        await service.WaitUntilCaughtUpAsync();
        service.Activity.Plans.Should().Be(2, "each day is planned once");
        await service.StopAsync();

        service.HandedOver.Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task An_export_still_being_copied_waits_until_it_stops_changing()
    {
        var service = new ServiceHarness(_folder, await TestStores.SqliteAsync(_folder), new FakeClock(Instant.FromUtc(2026, 11, 22, 4, 0)));
        var source = File.ReadAllText(Path.Combine(SharedData.RepositoryRoot, "samples", "inbox", "customers.csv"));
        var partial = Path.Combine(service.Inbox, "customers.csv");
        var firstLines = source[..(source.IndexOf('\n', 200) + 1)];
        File.WriteAllText(partial, firstLines);
        var watcher = new InboxWatcher(service.Inbox);

        watcher.ReadyFiles().Should().BeEmpty("one look cannot tell a finished file from one being written");
        File.AppendAllText(partial, source[firstLines.Length..]);
        watcher.ReadyFiles().Should().BeEmpty("it changed since the last look");
        watcher.HasArrivingFiles.Should().BeTrue();
        var ready = watcher.ReadyFiles();
        ready.Select(f => f.Name).Should().Equal("customers.csv");
        watcher.Handled(ready[0]);
        watcher.ReadyFiles().Should().BeEmpty("handled files are not offered again until they change");
        watcher.HasArrivingFiles.Should().BeFalse();
    }

    public static TheoryData<string, string> StopPoints() => new()
    {
        { "sqlite", "after the first export" },
        { "sqlite", "while planning" },
        { "sqlite", "after the first delivery batch" },
        { "cosmos", "after the first export" },
        { "cosmos", "while planning" },
        { "cosmos", "after the first delivery batch" },
    };

    [Theory]
    [MemberData(nameof(StopPoints))]
    public async Task Stopped_mid_run_and_started_again_it_ends_as_a_clean_run_does(string backend, string stopPoint)
    {
        // Two messages per delivery batch, so that delivery has a middle to stop in.
        (string, string) smallBatches = ("Automation:Delivery:BatchSize", "2");
        using var cleanFolder = new TempFolder();
        var clean = new ServiceHarness(cleanFolder, await TestStores.ForBackendAsync(backend, cleanFolder), new FakeClock(AfterPlanTime));
        clean.DropSampleExports();
        await clean.StartAsync(null, smallBatches);
        await clean.WaitUntilCaughtUpAsync(a => a.Plans == 1);
        clean.Clock.Now = DeliveryTime;
        await clean.WaitUntilCaughtUpAsync(a => a.Plans == 2);
        await clean.StopAsync();
        clean.HandedOver.Should().HaveCountGreaterThan(2, "the samples plan several messages for this day").And.OnlyHaveUniqueItems();

        var interrupted = new ServiceHarness(_folder, await TestStores.ForBackendAsync(backend, _folder), new FakeClock(AfterPlanTime));
        interrupted.DropSampleExports();
        await interrupted.StartAsync(services => StopAt(services, stopPoint), smallBatches);
        if (stopPoint == "after the first delivery batch")
        {
            await interrupted.WaitUntilCaughtUpAsync(a => a.Plans == 1);
            interrupted.Clock.Now = DeliveryTime;
        }

        await interrupted.WaitStoppedAsync();
        interrupted.HandedOver.Should().HaveCountLessThan(clean.HandedOver.Count, $"the stop {stopPoint} came before delivery finished");

        await interrupted.StartAsync(null, smallBatches);
        if (interrupted.Clock.Now != DeliveryTime)
        {
            await interrupted.WaitUntilCaughtUpAsync(a => a.Plans == 1);
            interrupted.Clock.Now = DeliveryTime;
        }

        // The plan of 24 November, due at 05:00 UTC on the 23rd, is made too, as in the clean run; a
        // service started again at that time makes only that one.
        var plansAfterRestart = stopPoint == "after the first delivery batch" ? 1 : 2;
        await interrupted.WaitUntilCaughtUpAsync(a => a.Plans == plansAfterRestart);
        await interrupted.StopAsync();

        interrupted.HandedOver.Should().BeEquivalentTo(clean.HandedOver, "every message is handed over once, across the restart");
        (await interrupted.SnapshotAsync()).Should().Equal(await clean.SnapshotAsync());
        File.ReadLines(Path.Combine(interrupted.Outbox, "index.jsonl")).Order().Should().Equal(File.ReadLines(Path.Combine(clean.Outbox, "index.jsonl")).Order());
    }

    /// <summary>Asks the host to stop, as SIGTERM does, at <paramref name="stopPoint"/> of the first run.</summary>
    private static void StopAt(IServiceCollection services, string stopPoint)
    {
        switch (stopPoint)
        {
            case "after the first export":
                services.Decorate<IIngestionLedger>((sp, ledger) => new StoppingLedger(ledger, Stop(sp)));
                break;
            case "while planning":
                services.Decorate<IMessageLog>((sp, log) => new StoppingMessageLog(log, Stop(sp)));
                break;
            default:
                services.Decorate<IMessageSender>((sp, sender) => new StoppingSender(sender, Stop(sp)));
                break;
        }
    }

    private static Action Stop(IServiceProvider services) => services.GetRequiredService<IHostApplicationLifetime>().StopApplication;

    private sealed class StoppingLedger(IIngestionLedger inner, Action stop) : IIngestionLedger
    {
        public Task<IngestedFile?> FindAsync(string contentId, CancellationToken cancellationToken = default) => inner.FindAsync(contentId, cancellationToken);

        public Task<bool> TryClaimAsync(string contentId, string claimant, Instant now, Instant until, CancellationToken cancellationToken = default) =>
            inner.TryClaimAsync(contentId, claimant, now, until, cancellationToken);

        public Task ReleaseAsync(string contentId, string claimant, CancellationToken cancellationToken = default) => inner.ReleaseAsync(contentId, claimant, cancellationToken);

        public async Task RecordAsync(IngestedFile file, CancellationToken cancellationToken = default)
        {
            await inner.RecordAsync(file, cancellationToken);
            stop();
        }
    }

    private sealed class StoppingSender(IMessageSender inner, Action stop) : IMessageSender
    {
        public Duration? SchedulingHorizon => inner.SchedulingHorizon;

        public async Task<int> SendAsync(IReadOnlyList<OutgoingMessage> batch, ISendJournal journal, CancellationToken cancellationToken = default)
        {
            var requests = await inner.SendAsync(batch, journal, cancellationToken);
            stop();
            return requests;
        }
    }

    /// <summary>The stop arrives while the plan records its first decisions.</summary>
    private sealed class StoppingMessageLog(IMessageLog inner, Action stop) : IMessageLog
    {
        public Task<IReadOnlyList<bool>> RecordAsync(IReadOnlyList<MessageRecord> records, CancellationToken cancellationToken = default)
        {
            stop();
            return inner.RecordAsync(records, cancellationToken);
        }

        public Task<IReadOnlyList<MessageRecord>> GetCustomerMessagesAsync(CustomerId customerId, CancellationToken cancellationToken = default) =>
            inner.GetCustomerMessagesAsync(customerId, cancellationToken);

        public Task<MessageRecord?> GetAsync(CustomerId customerId, MessageId messageId, CancellationToken cancellationToken = default) =>
            inner.GetAsync(customerId, messageId, cancellationToken);

        public IAsyncEnumerable<MessageRecord> ReadUndeliveredAsync(LocalDate through, CancellationToken cancellationToken = default) =>
            inner.ReadUndeliveredAsync(through, cancellationToken);

        public Task UpdateStatusAsync(MessageRecord message, MessageStatus status, ReasonCode? reasonCode, string? detail, Instant at, CancellationToken cancellationToken = default) =>
            inner.UpdateStatusAsync(message, status, reasonCode, detail, at, cancellationToken);

        public Task<MessageRecord?> FindAsync(MessageId messageId, CancellationToken cancellationToken = default) => inner.FindAsync(messageId, cancellationToken);

        public Task<MessageRecord?> ApplyEventAsync(MessageRecord message, MessageEvent reported, CancellationToken cancellationToken = default) =>
            inner.ApplyEventAsync(message, reported, cancellationToken);
    }
}
