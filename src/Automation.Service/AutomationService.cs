using Automation.Hosting;
using Automation.Ingestion;
using Microsoft.Extensions.Hosting;
using Automation.Profiles.Storage;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Text;

namespace Automation.Service;

/// <summary>
/// The pipeline as one long-running service. Each pass ingests the inbox's ready exports, plans when
/// the schedule is due (and on start, when today's plan is owed), then delivers what is due. A stop
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
        // Owed today if the schedule fired while the service was down or mid-plan: planning is
        // idempotent, so a plan that did finish adds nothing the second time.
        Instant? nextPlan = schedule.DueToday(now) ?? schedule.NextAfter(now);
        logger.LogInformation("Serving: inbox {Inbox}, plan schedule '{Schedule}' ({Zone}), next plan {NextPlan}",
            inbox.Folder, schedule.Text, schedule.Zone.Id, Describe(nextPlan));

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
                        if (await PlanAsync(schedule.DayOf(now), stopping))
                        {
                            plans++;
                            nextPlan = schedule.NextAfter(now);
                            logger.LogInformation("Next plan {NextPlan}", Describe(nextPlan));
                        }
                    }
                }

                var delivered = await jobs.DeliverDueAsync(jobs.Today(), CancellationToken.None, stopping);
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

    /// <returns>False when the consents gate stopped the plan.</returns>
    private async Task<bool> PlanAsync(LocalDate day, CancellationToken stoppingToken)
    {
        if (await jobs.RefitChurnModelIfDueAsync(day, stoppingToken) is { Failure: { } failure }) logger.LogWarning("Churn model fit failed: {Failure}", failure);
        await jobs.RefreshPollenAsync(day, stoppingToken);
        var plan = await jobs.PlanAsync(day, stoppingToken);
        ReportBlocked(plan.BlockedBy, "is planned");
        if (plan.BlockedBy.Count > 0) return false;
        logger.LogInformation("Planned {Day}: {Customers} customers, {Planned} messages, {HeldOut} held out, {AlreadyPlanned} already planned",
            LocalDatePattern.Iso.Format(day), plan.Customers, plan.Planned, plan.HeldOut, plan.AlreadyPlanned);
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
