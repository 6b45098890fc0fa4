using Automation.Churn.Training;
using Automation.ContextSources.Pollen;
using Automation.Delivery;
using Automation.Hosting.Work;
using Automation.Ingestion;
using Automation.Planning;
using Automation.Planning.Days;
using Automation.Planning.Settings;
using Automation.Profiles.Storage;
using Automation.Rights.Retention;
using NodaTime;

namespace Automation.Hosting;

/// <summary>
/// A scaled-out plan of the owed <paramref name="Days"/>: one item per day and feed range, and the sweep
/// of the days whose send windows have closed everywhere (what a lost work item or a crash left there);
/// none of it while <paramref name="BlockedBy"/> names a consents export not completely ingested.
/// </summary>
public sealed record DayWork(IReadOnlyList<LocalDate> Days, IReadOnlyList<PlanShardWork> Shards, DeliveryWork? Sweep, IReadOnlyList<IncompleteConsentsExport> BlockedBy);

/// <summary>What one feed range's plan decided, and the delivery batches it hands on.</summary>
public sealed record ShardOutcome(PlanSummary Summary, IReadOnlyList<DeliveryWork> Deliveries);

/// <summary>
/// The pipeline's jobs as a host runs them, whichever host: a timer, a queue message or a file arrives
/// and the host calls one method here. Nothing here knows what triggered it.
/// </summary>
public sealed class PipelineJobs(
    IngestionService ingestion,
    IConsentsGate consentsGate,
    IPlanningFeed feed,
    PlanningService planning,
    DeliveryService delivery,
    ChurnModelTrainer churnTrainer,
    PlanningSettings settings,
    IClock clock,
    RetentionService retention,
    PollenForecastService? pollenProviders = null)
{
    /// <summary>
    /// Messages per delivery work item: a queue message holds at most 64 KB, and two ids of up to
    /// 128 characters each per message keep 200 well inside it.
    /// </summary>
    public const int MessagesPerDelivery = 200;

    /// <summary>The day a plan now plans ahead (<see cref="PlanningDays.Ahead"/>): tomorrow in UTC.</summary>
    public LocalDate Ahead() => PlanningDays.Ahead(clock.GetCurrentInstant());

    /// <summary>The days a plan now owes, oldest first: the day ahead, and a missed day whose send window is still open somewhere.</summary>
    public Task<IReadOnlyList<LocalDate>> OwedDaysAsync(CancellationToken cancellationToken = default) => planning.OwedDaysAsync(cancellationToken);

    public Task<FileIngestionResult> IngestAsync(IExportFile export, CancellationToken cancellationToken = default) =>
        ingestion.IngestAsync(export, null, cancellationToken);

    /// <summary>Refits the churn model when the latest is <c>RefitIntervalDays</c> old; <c>null</c> when the churn trigger is off.</summary>
    public async Task<RefitOutcome?> RefitChurnModelIfDueAsync(LocalDate asOf, CancellationToken cancellationToken = default) =>
        settings.ChurnRisk.Trigger.Enabled ? await churnTrainer.RefitIfDueAsync(asOf, settings.ChurnRisk.RefitIntervalDays, cancellationToken) : null;

    /// <summary>
    /// Fetches and caches the forecasts the plan of <paramref name="planDate"/> uses (those of the
    /// next day). <c>null</c> when the pollen trigger is off or forecasts come from a file.
    /// </summary>
    public async Task<PollenDay?> RefreshPollenAsync(LocalDate planDate, CancellationToken cancellationToken = default) =>
        settings.Pollen.Trigger.Enabled && pollenProviders is not null ? await pollenProviders.RefreshAsync(planDate.PlusDays(1), cancellationToken) : null;

    /// <summary>
    /// The daily retention pass (docs/privacy.md, "Retention"), before the day's plan so the plan does not
    /// mail a customer it is about to erase. <c>null</c> when <c>Automation:Retention</c> is off.
    /// </summary>
    public Task<RetentionOutcome?> ApplyRetentionAsync(CancellationToken cancellationToken = default) => retention.ApplyAsync(cancellationToken);

    /// <summary>The consents exports not completely ingested: while there are any, nothing is planned or delivered.</summary>
    public Task<IReadOnlyList<IncompleteConsentsExport>> IncompleteConsentsAsync(CancellationToken cancellationToken = default) =>
        consentsGate.IncompleteAsync(cancellationToken);

    /// <summary>Plans <paramref name="date"/> in this process, every range at once.</summary>
    public Task<PlanSummary> PlanAsync(LocalDate date, CancellationToken cancellationToken = default) =>
        planning.PlanAsync(date, dryRun: false, cancellationToken: cancellationToken);

    /// <summary>
    /// Splits the plan of every owed day into one work item per feed range. A day is recorded as planned
    /// when the last of its ranges is (<see cref="PlanShardAsync"/>), so work the queue lost, or gave up
    /// on, is handed out again by the next call, while the day's windows are open.
    /// </summary>
    public async Task<DayWork> StartOwedDaysAsync(CancellationToken cancellationToken = default)
    {
        if (await IncompleteConsentsAsync(cancellationToken) is { Count: > 0 } incomplete) return new DayWork([], [], null, incomplete);
        var days = await planning.OwedDaysAsync(cancellationToken);
        var passStart = clock.GetCurrentInstant();
        var ranges = await feed.GetRangesAsync(cancellationToken);
        var shards = days.SelectMany(day => ranges.Select(range => new PlanShardWork(day, range, passStart, ranges.Count))).ToList();
        return new DayWork(days, shards, new DeliveryWork(PlanningDays.EarliestOpen(passStart).PlusDays(-1), null), []);
    }

    /// <summary>
    /// Plans one range and groups the messages it planned into delivery work items: those the sender
    /// takes now (due, or within its scheduling horizon); the rest wait for <see cref="DeliverWaitingAsync"/>.
    /// </summary>
    public async Task<ShardOutcome> PlanShardAsync(PlanShardWork work, CancellationToken cancellationToken = default)
    {
        var planned = new List<MessageKey>();
        var summary = await planning.PlanRangesAsync(work.Date, [work.Range], work.PassStart, dryRun: false, message =>
        {
            if (delivery.HandedOverAtPlan(message.SendAt, message.DecidedAt)) planned.Add(new MessageKey(message.CustomerId, message.MessageId));
        }, cancellationToken);
        if (summary.BlockedBy.Count == 0 && work.Ranges > 0) await planning.MarkRangePlannedAsync(work.Date, work.Range, work.Ranges, cancellationToken);
        var deliveries = planned.Chunk(MessagesPerDelivery).Select(chunk => new DeliveryWork(work.Date, chunk)).ToList();
        return new ShardOutcome(summary, deliveries);
    }

    /// <summary>
    /// Delivers what fell due since the plan and was not in its work items, and retries failed sends,
    /// for the days whose send windows may still be open somewhere (yesterday, today and tomorrow in
    /// UTC). Earlier days are the sweep's: the two never hold the same message.
    /// </summary>
    public Task<DeliverySummary> DeliverWaitingAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetCurrentInstant();
        return delivery.DeliverWaitingAsync(PlanningDays.EarliestOpen(now), PlanningDays.Ahead(now), cancellationToken);
    }

    public Task<DeliverySummary> DeliverAsync(DeliveryWork work, CancellationToken cancellationToken = default) =>
        work.Messages is { } messages ? delivery.DeliverAsync(messages, cancellationToken) : delivery.DeliverAsync(work.Date, cancellationToken);

    /// <summary>Delivers everything due through <paramref name="through"/>; a stop request ends it between batches.</summary>
    public Task<DeliverySummary> DeliverDueAsync(LocalDate through, CancellationToken cancellationToken = default, CancellationToken stopBetweenBatches = default) =>
        delivery.DeliverAsync(through, cancellationToken, stopBetweenBatches);
}
