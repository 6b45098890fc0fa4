using Automation.Hosting;
using Automation.Ingestion;
using Automation.Planning.Days;
using Automation.Planning.Policies;
using Microsoft.Extensions.Hosting;
using Automation.Profiles.Storage;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Text;

namespace Automation.Service;

/// <summary>
/// The pipeline as one long-running service. Each pass ingests the inbox's ready exports, plans the
/// owed days when the schedule is due (and on start, when a plan is owed), then delivers what is due. A stop
/// request ends an ingestion or a plan where it is (both resume without duplicates) and lets delivery
/// finish the batch it handed over, so no message is left half-sent.
/// </summary>
public sealed class AutomationService(
    PipelineJobs jobs,
    ServiceSettings settings,
    ServiceActivity activity,
    IClock clock,
    IHostApplicationLifetime lifetime,
    ILogger<AutomationService> logger) : BackgroundService
{
    private static readonly InstantPattern Time = InstantPattern.General;

    /// <summary>
    /// A due plan waits while exports are still arriving (a data team's 05:55 upload belongs in the
    /// 06:00 plan), but not for ever: a file that never stops changing must not hold up every plan.
    /// </summary>
    private const int MaxPassesPlanWaitsForInbox = 60;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A stop request is seen the moment it is made, not when the host gets round to stopping its
        // services: a pass then ends at its next unit of work.
        using var stopRequested = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        var stopping = stopRequested.Token;
        var schedule = settings.PlanSchedule;
        var inbox = new InboxWatcher(settings.InboxDirectory);
        var now = clock.GetCurrentInstant();
        // Owed now if the schedule fired today while the service was down or mid-plan, or if an earlier
        // day was never planned and its send window is still open somewhere: that plan is late already.
        Instant? nextPlan = schedule.DueToday(now) ?? schedule.NextAfter(now);
        try
        {
            if ((await jobs.OwedDaysAsync(stopping)).Any(day => day < PlanningDays.Ahead(now))) nextPlan = now;
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested)
        {
            // A store outage at start must not stop the service: the next scheduled plan plans every owed day.
            logger.LogError(ex, "Could not read the planned days at start; a missed day is planned at the next scheduled plan: {Message}", ex.Message);
        }

        logger.LogInformation("Serving: inbox {Inbox}, plan schedule '{Schedule}' (UTC), next plan {NextPlan}",
            inbox.Folder, schedule.Text, Describe(nextPlan));

        var passesPlanWaited = 0;
        while (!stopping.IsCancellationRequested)
        {
            long ingested = 0, plans = 0, sent = 0, errors = 0;
            try
            {
                ingested = await IngestReadyAsync(inbox, stopping);
                now = clock.GetCurrentInstant();
                if (nextPlan is { } due && due <= now)
                {
                    if (inbox.HasArrivingFiles && passesPlanWaited++ < MaxPassesPlanWaitsForInbox)
                    {
                        if (passesPlanWaited == 1) logger.LogInformation("The plan waits for exports still arriving in the inbox");
                    }
                    else
                    {
                        passesPlanWaited = 0;
                        // A plan the consents gate stopped is tried again on every pass until the gate opens.
                        if (await PlanOwedDaysAsync(includeAhead: schedule.DueToday(now) is not null, stopping))
                        {
                            plans++;
                            nextPlan = schedule.NextAfter(now);
                            logger.LogInformation("Next plan {NextPlan}", Describe(nextPlan));
                        }
                    }
                }

                var delivered = await jobs.DeliverDueAsync(jobs.Ahead(), CancellationToken.None, stopping);
                sent = delivered.Sent;
                ReportBlocked(delivered.BlockedBy, "is delivered");
                if (delivered.Sent + delivered.Failed + delivered.Rejected + delivered.Unknown > 0)
                {
                    logger.LogInformation("Delivered: {Sent} sent, {Failed} failed (tried again), {Rejected} rejected, {Unknown} unknown",
                        delivered.Sent, delivered.Failed, delivered.Rejected, delivered.Unknown);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // A store or provider outage: the pass is given up and the next one tries again.
                errors++;
                logger.LogError(ex, "A pass failed; the next one tries again: {Message}", ex.Message);
            }
            finally
            {
                activity.PassEnded(new PassReport(ingested, plans, sent, errors));
            }

            try
            {
                await Task.Delay(settings.PollInterval, stopping);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        logger.LogInformation("Stopped. Work in progress resumes on the next start without duplicates.");
    }

    private async Task<long> IngestReadyAsync(InboxWatcher inbox, CancellationToken stoppingToken)
    {
        var ingested = 0L;
        foreach (var file in inbox.ReadyFiles())
        {
            stoppingToken.ThrowIfCancellationRequested();
            var result = await jobs.IngestAsync(file, stoppingToken);
            inbox.Handled(file);
            if (result.Status == FileStatus.Skipped) continue;
            ingested++;
            // The ingestion service logs each completed file itself.
            if (result.Status == FileStatus.Failed) logger.LogWarning("{File} failed: {Error}", result.Name, result.Error);
        }

        return ingested;
    }

    /// <summary>
    /// Plans the owed days, oldest first: a missed day whose window is still open somewhere, and the
    /// day ahead when <paramref name="includeAhead"/> (the schedule fired for it; before that, exports
    /// meant for its plan may still be on their way).
    /// </summary>
    /// <returns>False when the consents gate stopped the plan.</returns>
    private async Task<bool> PlanOwedDaysAsync(bool includeAhead, CancellationToken stoppingToken)
    {
        var ahead = jobs.Ahead();
        // Checked first: a closed gate is tried again on every pass, and a model fit on every pass would be work for nothing.
        var blocked = await jobs.IncompleteConsentsAsync(stoppingToken);
        ReportBlocked(blocked, "is planned");
        if (blocked.Count > 0) return false;
        // Once a day, when the schedule fires: not on every pass that makes up a missed day. It logs what it did.
        if (includeAhead) await jobs.ApplyRetentionAsync(stoppingToken);

        foreach (var day in await jobs.OwedDaysAsync(stoppingToken))
        {
            if (day == ahead && !includeAhead) continue;
            if (await jobs.RefitChurnModelIfDueAsync(day, stoppingToken) is { Failure: { } failure }) logger.LogWarning("Churn model fit failed: {Failure}", failure);
            await jobs.RefreshPollenAsync(day, stoppingToken);
            var plan = await jobs.PlanAsync(day, stoppingToken);
            ReportBlocked(plan.BlockedBy, "is planned");
            if (plan.BlockedBy.Count > 0) return false;
            logger.LogInformation("Planned {Day}{Late}: {Customers} customers, {Planned} messages, {HeldOut} held out, {AlreadyPlanned} already planned, {WindowPassed} past their send window",
                LocalDatePattern.Iso.Format(day), day < ahead ? " (late: a missed day, planned for the send windows still open)" : "",
                plan.Customers, plan.Planned, plan.HeldOut, plan.AlreadyPlanned, plan.Suppressed.GetValueOrDefault(ReasonCodes.SendWindowPassed.Value));
        }

        return true;
    }

    private readonly Dictionary<string, string> _blocked = new(StringComparer.Ordinal);

    /// <summary>Says once per change, not on every pass, that the consents gate stops <paramref name="what"/>, and when it opens again.</summary>
    private void ReportBlocked(IReadOnlyList<IncompleteConsentsExport> incomplete, string what)
    {
        var text = incomplete.Count > 0 ? IncompleteConsentsExport.Blocking(incomplete, what) : null;
        if (text == _blocked.GetValueOrDefault(what)) return;
        if (text is not null)
        {
            logger.LogWarning("{Blocked}", text);
            _blocked[what] = text;
        }
        else
        {
            logger.LogInformation("Every consents export is ingested completely again: the consents gate is open");
            _blocked.Remove(what);
        }
    }

    private static string Describe(Instant? instant) => instant is { } value ? Time.Format(value) : "never (the schedule does not fire again)";
}
