using Automation.Profiles.Identifiers;
using Automation.Planning.Context;
using Automation.Planning.Days;
using Automation.Planning.Mailboxes;
using Automation.Profiles.Mailboxes;
using Automation.Messages;
using Automation.Planning.Policies;
using Automation.Churn.Training;
using Automation.Planning.Settings;
using Automation.Planning.Triggers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Automation.Profiles.Storage;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Text;

namespace Automation.Planning;

/// <summary>A message the plan scheduled.</summary>
/// <param name="DecidedAt">When the decision was recorded (<see cref="MessageRecord.DecidedAt"/>).</param>
public sealed record PlannedMessage(MessageId MessageId, CustomerId CustomerId, TriggerName Trigger, Instant SendAt, string Reason, Instant DecidedAt);

/// <summary>What a plan decided, in numbers.</summary>
public sealed class PlanSummary(LocalDate date, bool dryRun, bool late)
{
    public LocalDate Date { get; } = date;
    public bool DryRun { get; } = dryRun;
    /// <summary>The plan ran after the day's send window closed in the earliest time zone: customers there cannot get the day's message.</summary>
    public bool Late { get; } = late;
    public long Customers { get; internal set; }
    public long Planned { get; internal set; }
    public long HeldOut { get; internal set; }
    /// <summary>Occasions whose message an earlier (or concurrent) plan already made.</summary>
    public long AlreadyPlanned { get; internal set; }
    public SortedDictionary<string, long> Suppressed { get; } = new(StringComparer.Ordinal);
    /// <summary>Messages planned per trigger.</summary>
    public SortedDictionary<string, long> ByTrigger { get; } = new(StringComparer.Ordinal);
    /// <summary>Consents exports not completely ingested: while there are any, nothing is planned.</summary>
    public IReadOnlyList<IncompleteConsentsExport> BlockedBy { get; internal set; } = [];

    /// <summary>The decisions by trigger, locale, outcome and reason, with a few planned messages: what the console shows.</summary>
    public PlanRecord Record { get; } = new();
}

/// <summary>
/// The daily pass: loads the day's context once, streams every customer once together with their
/// message history (through the backend's <see cref="IPlanningFeed"/>, no query per customer), plans
/// each customer, and records the decisions in batches. Memory depends on the batch sizes, the number
/// of feed ranges and the number of customers who share an address, not on the number of customers.
/// A customer who shares an address and would get a message is planned after the others, in customer-id
/// order, with the others' messages; a message for them claims the address's day before it is recorded.
/// </summary>
public sealed class PlanningService(
    IPlanningFeed feed,
    IMessageLog messageLog,
    IPollenForecastSource pollen,
    IChurnModelStore churnModels,
    IConsentsGate consentsGate,
    IPlannedDays plannedDays,
    IPlanRecords planRecords,
    IMailboxes mailboxes,
    CustomerPlanner planner,
    PlanningSettings settings,
    IClock clock,
    ILogger<PlanningService>? logger = null,
    PlanningTelemetry? telemetry = null)
{
    private const int RecordBatchSize = 1_000;
    private const int CustomersPerBatch = 512;
    // Reading is I/O; a few ranges at once keep the planning workers busy without a page of every
    // range in memory when a container has many physical partitions.
    private const int RangesReadAtOnce = 8;

    /// <summary>
    /// Plans <paramref name="date"/> over every range of the feed and records the day as planned; with
    /// <paramref name="dryRun"/> nothing is recorded.
    /// </summary>
    public async Task<PlanSummary> PlanAsync(LocalDate date, bool dryRun, Action<PlannedMessage>? onPlanned = null, CancellationToken cancellationToken = default)
    {
        var summary = await PlanRangesAsync(date, await feed.GetRangesAsync(cancellationToken), clock.GetCurrentInstant(), dryRun, onPlanned, cancellationToken);
        if (!dryRun && summary.BlockedBy.Count == 0) await plannedDays.MarkAsync(date, clock.GetCurrentInstant(), cancellationToken);
        return summary;
    }

    /// <summary>The days a plan now owes (<see cref="PlanningDays.Owed"/>), oldest first.</summary>
    public async Task<IReadOnlyList<LocalDate>> OwedDaysAsync(CancellationToken cancellationToken = default) =>
        PlanningDays.Owed(clock.GetCurrentInstant(), settings.Policies.SendWindow, await plannedDays.ReadAsync(cancellationToken));

    /// <summary>Records that one of <paramref name="ranges"/> ranges of <paramref name="date"/> is planned, for a host that plans range by range.</summary>
    public Task MarkRangePlannedAsync(LocalDate date, string range, int ranges, CancellationToken cancellationToken = default) =>
        plannedDays.MarkRangeAsync(date, range, ranges, clock.GetCurrentInstant(), cancellationToken);

    /// <summary>
    /// Plans <paramref name="date"/> for the customers of some of the feed's ranges: a worker given one
    /// range plans its share of a pass that began at <paramref name="passStart"/>. Three stages
    /// overlap: readers stream the ranges, workers on the other cores plan batches of customers, and
    /// this method records and counts the decisions. Channels between them are bounded, so memory stays
    /// a few batches whatever the number of customers.
    /// </summary>
    public async Task<PlanSummary> PlanRangesAsync(
        LocalDate date, IReadOnlyList<string> ranges, Instant passStart, bool dryRun, Action<PlannedMessage>? onPlanned = null, CancellationToken cancellationToken = default)
    {
        using var activity = PlanningTelemetry.Activities.StartActivity(dryRun ? "plan day (dry run)" : "plan day");
        var day = date.ToString("uuuu-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        activity?.SetTag("automation.plan.day", day).SetTag("automation.plan.ranges", ranges.Count);
        using var scope = logger?.BeginScope(new Dictionary<string, object?> { ["PlanDay"] = day, ["PassStart"] = passStart.ToString() });
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var summary = await PlanRangesCoreAsync(date, ranges, passStart, dryRun, onPlanned, cancellationToken);
        // Under the pass and its ranges: a range planned again in the same pass (a retried shard) replaces its own record.
        if (!dryRun && summary.BlockedBy.Count == 0)
        {
            await planRecords.SaveAsync(date, $"{InstantPattern.ExtendedIso.Format(passStart)} {(ranges.Count == 1 ? ranges[0] : "all")}", summary.Record, cancellationToken);
        }

        activity?.SetTag("automation.plan.customers", summary.Customers).SetTag("automation.plan.planned", summary.Planned);
        if (!dryRun) telemetry?.Planned(System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return summary;
    }

    private async Task<PlanSummary> PlanRangesCoreAsync(
        LocalDate date, IReadOnlyList<string> ranges, Instant passStart, bool dryRun, Action<PlannedMessage>? onPlanned, CancellationToken cancellationToken)
    {
        var summary = new PlanSummary(date, dryRun, late: clock.GetCurrentInstant() >= PlanningDays.FirstWindowCloses(date, settings.Policies.SendWindow)) { BlockedBy = await consentsGate.IncompleteAsync(cancellationToken) };
        if (summary.BlockedBy.Count > 0) return summary;
        var context = await LoadContextAsync(date, cancellationToken);
        var shared = await ReadSharedAsync(cancellationToken);
        var now = clock.GetCurrentInstant();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var customers = Channel.CreateBounded<List<PlanningCustomer>>(4);
        var decided = Channel.CreateBounded<List<MessageDecision>>(4);
        var seen = new StrongBox<long>();
        // A dry run records nothing, so it claims the addresses' days in memory: its counts are the real run's.
        var dryRunClaims = new Dictionary<string, string>(StringComparer.Ordinal);
        var deferred = new ConcurrentBag<PlanningCustomer>();

        var read = Task.Run(async () =>
        {
            await Parallel.ForEachAsync(ranges, new ParallelOptions { MaxDegreeOfParallelism = RangesReadAtOnce, CancellationToken = stop.Token },
                async (range, token) =>
                {
                    var batch = new List<PlanningCustomer>(CustomersPerBatch);
                    await foreach (var customer in feed.ReadRangeAsync(range, passStart, token))
                    {
                        batch.Add(customer);
                        if (batch.Count < CustomersPerBatch) continue;
                        await customers.Writer.WriteAsync(batch, token);
                        batch = new List<PlanningCustomer>(CustomersPerBatch);
                    }

                    if (batch.Count > 0) await customers.Writer.WriteAsync(batch, token);
                });
        }, stop.Token);
        var workers = Enumerable.Range(0, Math.Max(1, Environment.ProcessorCount)).Select(_ => Task.Run(async () =>
        {
            await foreach (var batch in customers.Reader.ReadAllAsync(stop.Token))
            {
                var decisions = new List<MessageDecision>();
                foreach (var customer in batch)
                {
                    if (planner.Plan(customer.Profile, customer.History, context, date, now) is not { } planned) continue;
                    if (shared.ContainsKey(customer.Profile.CustomerId) && CustomerPlanner.WouldMail(planned)) deferred.Add(customer);
                    else decisions.AddRange(planned);
                }

                await decided.Writer.WriteAsync(decisions, stop.Token);
                Interlocked.Add(ref seen.Value, batch.Count);
            }
        }, stop.Token)).ToList();
        var stages = Task.WhenAll(Complete(read, customers.Writer), Complete(Task.WhenAll(workers), decided.Writer));

        try
        {
            var pending = new List<MessageDecision>(RecordBatchSize);
            void Take(IEnumerable<MessageDecision> decisions)
            {
                foreach (var decision in decisions)
                {
                    if (dryRun) Count(summary, DryRunClaim(decision, date, dryRunClaims), now, onPlanned);
                    else if (!decision.ShouldRecord) Count(summary, decision, now, onPlanned);
                    else pending.Add(decision);
                }
            }

            await foreach (var decisions in decided.Reader.ReadAllAsync(stop.Token))
            {
                Take(decisions);
                if (pending.Count >= RecordBatchSize) await RecordAsync(pending, date, summary, onPlanned, stop.Token);
            }

            if (pending.Count > 0) await RecordAsync(pending, date, summary, onPlanned, stop.Token);

            // Customers who share an address and would get a message go last, one at a time in customer-id
            // order, with the others' messages: the same record gets the address's day whenever the plan runs.
            foreach (var customer in deferred.OrderBy(c => c.Profile.CustomerId, StringComparer.Ordinal))
            {
                var sameAddress = await SameAddressAsync(shared[customer.Profile.CustomerId], customer.Profile.CustomerId, stop.Token);
                Take(planner.Plan(customer.Profile, customer.History, context, date, now, sameAddress)!);
                if (pending.Count > 0) await RecordAsync(pending, date, summary, onPlanned, stop.Token);
            }
        }
        catch
        {
            await stop.CancelAsync();
            throw;
        }
        finally
        {
            // A failed stage ends the others; its exception is the one worth reporting.
            try
            {
                await stages;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }

        summary.Customers = Interlocked.Read(ref seen.Value);
        return summary;
    }

    /// <summary>Closes the channel after its producer ends, passing on a failure to the consumer.</summary>
    private static async Task Complete<T>(Task producer, ChannelWriter<T> writer)
    {
        try
        {
            await producer;
            writer.TryComplete();
        }
        catch (Exception ex)
        {
            writer.TryComplete(ex);
            throw;
        }
    }

    public async Task<DayContext> LoadContextAsync(LocalDate date, CancellationToken cancellationToken) =>
        await LoadContextAsync(settings.Pollen.Trigger.Enabled ? await pollen.LoadAsync(date.PlusDays(1), cancellationToken) : PollenForecasts.None(date.PlusDays(1)), cancellationToken);

    /// <summary>The day's context around forecasts the caller already has.</summary>
    public async Task<DayContext> LoadContextAsync(PollenForecasts forecasts, CancellationToken cancellationToken) =>
        new(forecasts, ChurnRiskModels.Choose(settings.ChurnRisk.Trigger.Enabled ? await churnModels.LoadLatestAsync(cancellationToken) : null, settings.ChurnRisk));

    /// <summary>The customers who share an address, each with their mailbox.</summary>
    private async Task<Dictionary<string, Mailbox>> ReadSharedAsync(CancellationToken cancellationToken)
    {
        var shared = new Dictionary<string, Mailbox>(StringComparer.Ordinal);
        await foreach (var mailbox in mailboxes.ReadSharedAsync(cancellationToken))
        {
            foreach (var holder in mailbox.Holders) shared[holder] = mailbox;
        }

        return shared;
    }

    /// <summary>The other holders of the customer's mailbox, with their messages (one partition read each).</summary>
    public async Task<SameAddress> SameAddressAsync(Mailbox mailbox, string customerId, CancellationToken cancellationToken)
    {
        var others = mailbox.OthersThan(customerId);
        var messages = new List<MessageRecord>();
        foreach (var other in others) messages.AddRange(await messageLog.GetCustomerMessagesAsync(new CustomerId(other), cancellationToken));
        return new SameAddress(mailbox.Key, others, messages);
    }

    /// <summary>
    /// A message for a shared mailbox claims the mailbox's day first; when another customer's message has
    /// it (decided by another worker, or another plan, at the same moment), this one is suppressed.
    /// </summary>
    private async Task<MessageDecision> ClaimMailboxDayAsync(MessageDecision decision, LocalDate date, CancellationToken cancellationToken)
    {
        if (decision.MailboxKey is not { } key || !decision.Mails) return decision;
        return LostDay(decision, await mailboxes.ClaimAsync(key, date, decision.MessageId.Value, decision.CustomerId.Value, cancellationToken));
    }

    /// <summary>The same claim, in memory: a dry run records nothing.</summary>
    private static MessageDecision DryRunClaim(MessageDecision decision, LocalDate date, Dictionary<string, string> claims)
    {
        if (decision.MailboxKey is not { } key || !decision.Mails) return decision;
        return LostDay(decision, claims.TryAdd(key, decision.CustomerId.Value) || claims[key] == decision.CustomerId.Value ? null : MailboxDays.Taken(claims[key], date));
    }

    private static MessageDecision LostDay(MessageDecision decision, (ReasonCode Code, string Detail)? lost) => lost is var (code, detail)
        ? decision with { Outcome = DecisionOutcome.Suppressed, ReasonCode = code, Detail = detail, SendAt = null }
        : decision;

    private async Task RecordAsync(
        List<MessageDecision> pending, LocalDate date, PlanSummary summary, Action<PlannedMessage>? onPlanned, CancellationToken cancellationToken)
    {
        for (var i = 0; i < pending.Count; i++) pending[i] = await ClaimMailboxDayAsync(pending[i], date, cancellationToken);
        var now = clock.GetCurrentInstant();
        var records = pending.Select(decision => ToRecord(decision, date, now)).ToList();
        var written = await messageLog.RecordAsync(records, cancellationToken);
        for (var i = 0; i < pending.Count; i++)
        {
            var decision = pending[i];
            // A concurrent plan wrote this message first: it is that plan's message, not a second one.
            if (!written[i] && decision.Mails)
            {
                decision = decision with { Outcome = DecisionOutcome.AlreadyPlanned, ReasonCode = ReasonCodes.AlreadyPlanned };
            }

            Count(summary, decision, now, onPlanned);
        }

        pending.Clear();
    }

    public static MessageRecord ToRecord(MessageDecision decision, LocalDate date, Instant now) => new(
        decision.MessageId,
        decision.CustomerId,
        new TriggerName(decision.Trigger.Name),
        decision.Candidate.OccasionKey,
        decision.Candidate.CooldownKey,
        date,
        decision.SendAt,
        decision.Outcome switch
        {
            DecisionOutcome.Planned => MessageStatus.Planned,
            DecisionOutcome.HeldOut => MessageStatus.HeldOut,
            _ => MessageStatus.Suppressed,
        },
        decision.ReasonCode,
        decision.Candidate.Reason,
        decision.Candidate.Data,
        now)
    {
        Detail = decision.Outcome == DecisionOutcome.Planned ? null : decision.Detail,
    };

    private void Count(PlanSummary summary, MessageDecision decision, Instant decidedAt, Action<PlannedMessage>? onPlanned)
    {
        if (!summary.DryRun) telemetry?.Decided(decision);
        summary.Record.Add(decision);
        switch (decision.Outcome)
        {
            case DecisionOutcome.Planned:
                summary.Planned++;
                summary.ByTrigger[decision.Trigger.Name] = summary.ByTrigger.GetValueOrDefault(decision.Trigger.Name) + 1;
                onPlanned?.Invoke(new PlannedMessage(decision.MessageId, decision.CustomerId, new TriggerName(decision.Trigger.Name), decision.SendAt!.Value, decision.Candidate.Reason, decidedAt));
                break;
            case DecisionOutcome.HeldOut:
                summary.HeldOut++;
                break;
            case DecisionOutcome.AlreadyPlanned:
                summary.AlreadyPlanned++;
                break;
            default:
                var code = decision.ReasonCode!.Value.Value;
                summary.Suppressed[code] = summary.Suppressed.GetValueOrDefault(code) + 1;
                break;
        }
    }
}
