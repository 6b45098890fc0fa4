using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using Automation.Ingestion.Formats;
using Automation.Ingestion.Reports;
using Automation.Ingestion.Validation;
using Automation.Profiles.Changes;
using Automation.Profiles.Erasure;
using Automation.Profiles.Identifiers;
using Automation.Profiles.Model;
using Automation.Profiles.Storage;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Text;

namespace Automation.Ingestion;

/// <summary>
/// Ingests exports. Each file streams through in bounded memory: rows are read and validated on one
/// task while the previous batch is merged into the store on another, in one write session that
/// commits every <see cref="IngestionSettings.CommitEveryRows"/> rows and at the end. Re-ingesting is harmless: the
/// content id skips a completed file at once, and the store recognises every transaction line it has
/// seen, so a run that was killed half-way is simply run again.
/// </summary>
public sealed class IngestionService(
    ICustomerProfileStore store,
    IIngestionLedger ledger,
    IConsentsGate consentsGate,
    IClock clock,
    IngestionSettings settings,
    ILogger<IngestionService> logger,
    AddressSupport? addresses = null,
    IngestionTelemetry? telemetry = null,
    ICustomerEraser? eraser = null)
{
    private readonly ExportEncodings _encodings = new(settings);
    // How long a claim on a content lasts unless renewed (a third of it apart): a run that died frees the content after this.
    private static readonly Duration ClaimLease = Duration.FromMinutes(2);
    private static readonly TimeSpan ClaimPoll = TimeSpan.FromSeconds(1);

    public async Task<FileIngestionResult> IngestAsync(
        IExportFile file, IProgress<IngestionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var activity = IngestionTelemetry.Activities.StartActivity("ingest export");
        activity?.SetTag("automation.export", file.Name);
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["Export"] = file.Name });
        var started = Stopwatch.GetTimestamp();
        var result = await IngestFileAsync(file, progress, cancellationToken);
        activity?.SetTag("automation.export.kind", result.Kind).SetTag("automation.export.status", result.Status.ToString().ToLowerInvariant());
        if (result.Status == FileStatus.Failed) activity?.SetStatus(ActivityStatusCode.Error, result.Error);
        telemetry?.Ingested(result, Stopwatch.GetElapsedTime(started));
        return result;
    }

    private async Task<FileIngestionResult> IngestFileAsync(IExportFile file, IProgress<IngestionProgress>? progress, CancellationToken cancellationToken)
    {
        string contentId;
        try
        {
            contentId = await ComputeContentIdAsync(file, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var error = "The file cannot be read: " + ex.Message;
            if (NamedAsConsents(file.Name)) await MarkConsentsIncompleteAsync(file.Name, "unread", error, cancellationToken);
            return Unreadable(file.Name, error);
        }

        Activity.Current?.SetTag("automation.content_id", contentId);
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["ContentId"] = contentId });
        if (await ledger.FindAsync(contentId, cancellationToken) is { } done) return await SkipAsync(file, done, $"the same content was ingested completely as {done.Name}", cancellationToken);

        var claimant = Guid.NewGuid().ToString("N");
        if (await WaitForClaimAsync(file, contentId, claimant, cancellationToken) is { } doneMeanwhile) return doneMeanwhile;
        try
        {
            return await IngestClaimedAsync(file, contentId, claimant, progress, cancellationToken);
        }
        finally
        {
            // Also when stopped: the next run should not wait for a claim nobody holds.
            await ledger.ReleaseAsync(contentId, claimant, CancellationToken.None);
        }
    }

    /// <summary>
    /// Another run ingesting the same content (the same export dropped twice, two runs at once): this one
    /// waits for it, then finds the content complete and skips it, or takes over a claim that lapsed.
    /// </summary>
    private async Task<FileIngestionResult?> WaitForClaimAsync(IExportFile file, string contentId, string claimant, CancellationToken cancellationToken)
    {
        var waited = false;
        while (!await ledger.TryClaimAsync(contentId, claimant, clock.GetCurrentInstant(), clock.GetCurrentInstant() + ClaimLease, cancellationToken))
        {
            if (!waited) logger.LogInformation("{File}: another run is ingesting the same content; waiting for it to finish", file.Name);
            waited = true;
            await Task.Delay(ClaimPoll, cancellationToken);
            if (await ledger.FindAsync(contentId, cancellationToken) is { } done) return await SkipAsync(file, done, "another run ingested the same content completely while this one waited", cancellationToken);
        }

        return null;
    }

    private async Task<FileIngestionResult> IngestClaimedAsync(
        IExportFile file, string contentId, string claimant, IProgress<IngestionProgress>? progress, CancellationToken cancellationToken)
    {
        // Completed by another run between the first look and the claim.
        if (await ledger.FindAsync(contentId, cancellationToken) is { } done) return await SkipAsync(file, done, $"the same content was ingested completely as {done.Name}", cancellationToken);
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var renewal = RenewClaimAsync(contentId, claimant, renewing.Token);
        try
        {
            return await IngestAsync(file, contentId, progress, cancellationToken);
        }
        finally
        {
            await renewing.CancelAsync();
            await renewal;
        }
    }

    /// <summary>Keeps the claim while the file is read, however long that takes.</summary>
    private async Task RenewClaimAsync(string contentId, string claimant, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer((ClaimLease / 3).ToTimeSpan());
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await ledger.TryClaimAsync(contentId, claimant, clock.GetCurrentInstant(), clock.GetCurrentInstant() + ClaimLease, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task<FileIngestionResult> IngestAsync(IExportFile file, string contentId, IProgress<IngestionProgress>? progress, CancellationToken cancellationToken)
    {
        var run = new FileRun(file.Name, contentId);
        try
        {
            await RunAsync(file, run, progress, cancellationToken);
        }
        catch (ExportFormatException ex)
        {
            return await FailAsync(file, run, ex.Message, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            return await FailAsync(file, run, "Reading stopped part-way: " + ex.Message +
                ". Rows before that point were ingested; fix the file and drop it again.", cancellationToken);
        }

        var result = run.ToResult(FileStatus.Completed);
        await WriteSummaryAsync(file, run, result, cancellationToken);
        await ledger.RecordAsync(new IngestedFile(contentId, file.Name, run.Kind!.Value, run.RowsRead, run.Accepted,
            result.Rejected, run.Warnings, run.Duplicates, clock.GetCurrentInstant()), cancellationToken);
        if (run.Kind == ExportKind.Consents) await consentsGate.MarkCompleteAsync(file.Name, cancellationToken);
        logger.LogInformation(
            "Ingested {File} ({Kind}): {Accepted} accepted, {Rejected} rejected, {Warnings} warnings, {Duplicates} duplicates",
            file.Name, result.Kind, run.Accepted, result.Rejected, run.Warnings, run.Duplicates);
        return result;
    }

    private async Task<FileIngestionResult> SkipAsync(IExportFile file, IngestedFile done, string why, CancellationToken cancellationToken)
    {
        if (done.Kind == ExportKind.Consents) await consentsGate.MarkCompleteAsync(file.Name, cancellationToken);
        logger.LogInformation("Skipped {File}: {Why}", file.Name, why);
        return new FileIngestionResult(file.Name, Describe(done.Kind), null, done.RowsRead, done.Accepted, done.Rejected,
            done.Warnings, done.Duplicates, FileStatus.Skipped);
    }

    private async Task RunAsync(IExportFile file, FileRun run, IProgress<IngestionProgress>? progress, CancellationToken cancellationToken)
    {
        var counting = new CountingStream(await file.OpenReadAsync(cancellationToken));
        await using var reader = await ExportReader.OpenAsync(counting, file.Name, _encodings.For(file.Name), cancellationToken);
        run.Kind = reader.Kind;
        run.Format = reader.Format;
        // Marked before the first row: a crash from here on leaves the gate closed until the file is read again.
        if (run.Kind == ExportKind.Consents) await MarkConsentsIncompleteAsync(file.Name, run.ContentId, "being ingested", cancellationToken);
        await using var rejected = new RejectedRowsWriter(
            await file.CreateReportAsync(file.Name + ReportNames.RejectedSuffix, cancellationToken));

        // Two batches in flight at most: the reader stays one batch ahead of the store, memory stays flat.
        var batches = Channel.CreateBounded<List<ProfileChange>>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var failure = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var eraseRows = run.Kind == ExportKind.Erasures
            ? eraser ?? throw new ExportFormatException("This host cannot erase customers, so it takes no erasures export.")
            : null;
        var applying = Task.Run(async () =>
        {
            try
            {
                if (eraseRows is null) await ApplyAsync(batches.Reader, run, rejected, failure.Token);
                else await EraseAsync(eraseRows, batches.Reader, run, failure.Token);
            }
            catch
            {
                await failure.CancelAsync();
                throw;
            }
        }, CancellationToken.None);

        try
        {
            await ReadAsync(reader, run, rejected, batches.Writer, counting, file.Length, progress, failure.Token);
            batches.Writer.Complete();
        }
        catch (Exception damaged) when (damaged is IOException or InvalidDataException)
        {
            // The file is damaged part-way: the rows read before the damage still land (the store
            // commits them), and the file is reported as failed, so a fixed copy can be dropped again.
            batches.Writer.Complete();
            await applying;
            throw;
        }
        catch (Exception readFailure)
        {
            batches.Writer.TryComplete(readFailure);

            // Always wait for the store to close its session (releasing the write lock). If the store
            // failed first, the reader only saw the cancellation that followed: report the store's error.
            var storeFailedFirst = readFailure is OperationCanceledException && !cancellationToken.IsCancellationRequested;
            try
            {
                await applying;
            }
            catch (Exception) when (!storeFailedFirst)
            {
                // The reader's failure is the cause; the store stopped because of it.
            }

            throw;
        }

        await applying;
    }

    /// <summary>Merges the batches into profiles, in one write session that commits every <see cref="IngestionSettings.CommitEveryRows"/> rows and at the end.</summary>
    private async Task ApplyAsync(ChannelReader<List<ProfileChange>> batches, FileRun run, RejectedRowsWriter rejected, CancellationToken cancellationToken)
    {
        await using var writer = await store.OpenWriterAsync(cancellationToken);
        var sinceCommit = 0L;
        await foreach (var batch in batches.ReadAllAsync(cancellationToken))
        {
            await writer.ApplyAsync(batch, cancellationToken);
            sinceCommit += batch.Count;
            if (sinceCommit >= settings.CommitEveryRows)
            {
                run.Add(await writer.CommitAsync(cancellationToken));
                await ReportFindingsAsync(writer, run, rejected);
                sinceCommit = 0;
            }
        }

        run.Add(await writer.CommitAsync(cancellationToken));
        await ReportFindingsAsync(writer, run, rejected);
    }

    /// <summary>
    /// An erasures export: each batch's customers are erased, then the store is purged once. A file that
    /// stops part-way is dropped again and erases the rest; those erased already are counted as before.
    /// </summary>
    private static async Task EraseAsync(ICustomerEraser eraser, ChannelReader<List<ProfileChange>> batches, FileRun run, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var batch in batches.ReadAllAsync(cancellationToken))
            {
                var erased = await eraser.EraseAsync(batch.Select(r => new CustomerId(r.CustomerId)).Distinct().ToList(), cancellationToken);
                run.Erased(erased, batch.Count);
            }
        }
        finally
        {
            // Also after a failure: what was erased must not linger in the store's files.
            await eraser.PurgeAsync(CancellationToken.None);
        }
    }

    private async Task ReadAsync(
        IExportRowReader reader, FileRun run, RejectedRowsWriter rejected, ChannelWriter<List<ProfileChange>> batches,
        CountingStream counting, long? totalBytes, IProgress<IngestionProgress>? progress, CancellationToken cancellationToken)
    {
        var validator = new RowValidator(settings, clock.GetCurrentInstant(), addresses ?? AddressSupport.Any);
        var issues = new List<RowIssue>();
        var batch = new List<ProfileChange>(settings.BatchSize);
        try
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                await ReportMalformedAsync(reader, run, rejected);
                var row = reader.Current;
                run.RowsRead++;
                issues.Clear();
                var change = validator.Validate(row, run.ContentId, issues);
                if (issues.Count > 0)
                {
                    var raw = row.RawText;
                    foreach (var issue in issues) await rejected.WriteAsync(issue, raw);
                    run.Warn(issues.Count(i => i.Severity == IssueSeverity.Warning));
                }

                if (change is null)
                {
                    run.Rejected++;
                    continue;
                }

                batch.Add(change);
                if (batch.Count >= settings.BatchSize)
                {
                    await batches.WriteAsync(batch, cancellationToken);
                    batch = new List<ProfileChange>(settings.BatchSize);
                    progress?.Report(new IngestionProgress(run.Name, counting.BytesRead, totalBytes, run.RowsRead));
                }
            }
        }
        catch (Exception damaged) when (damaged is IOException or InvalidDataException)
        {
            // Hand over the rows read before the damage; the caller commits them and reports the failure.
            await ReportMalformedAsync(reader, run, rejected);
            if (batch.Count > 0) await batches.WriteAsync(batch, cancellationToken);
            throw;
        }

        await ReportMalformedAsync(reader, run, rejected);
        if (batch.Count > 0) await batches.WriteAsync(batch, cancellationToken);
        progress?.Report(new IngestionProgress(run.Name, counting.BytesRead, totalBytes, run.RowsRead));
    }

    /// <summary>
    /// A customer whose address another customer has is mailed as one mailbox with them: the data team
    /// hears of it, with both customer ids, in case the records are one person twice. A row of an erased
    /// customer is refused with reason <c>erased</c>, by its line: its content is what erasure removed.
    /// </summary>
    private static async Task ReportFindingsAsync(IProfileWriter writer, FileRun run, RejectedRowsWriter rejected)
    {
        var findings = writer.TakeFindings();
        foreach (var shared in findings.SharedAddresses)
        {
            var others = shared.Others.Count == 1 ? $"customer {shared.Others[0]}" : $"customers {string.Join(", ", shared.Others)}";
            await rejected.WriteAsync(new RowIssue(shared.Source.Line, IssueSeverity.Warning, "email",
                $"customer {shared.CustomerId} has the same address as {others} (compared trimmed and ignoring case): they are mailed as one " +
                "address, with one message a day, shared opt-outs, bounces and spam reports, and one frequency cap"), string.Empty);
            run.Warn(1);
        }

        foreach (var refused in findings.ErasedRows.OrderBy(r => r.Line))
        {
            await rejected.WriteAsync(new RowIssue(refused.Line, IssueSeverity.Rejected, "customer_id",
                "erased: the customer was erased (on request or by retention), and an export cannot bring them back; the row's content is not listed"), string.Empty);
        }
    }

    private static async Task ReportMalformedAsync(IExportRowReader reader, FileRun run, RejectedRowsWriter rejected)
    {
        foreach (var malformed in reader.TakeMalformed())
        {
            run.RowsRead++;
            run.Rejected++;
            await rejected.WriteAsync(new RowIssue(malformed.Line, IssueSeverity.Rejected, "(row)", malformed.Reason), malformed.RawText);
        }
    }

    private async Task<FileIngestionResult> FailAsync(IExportFile file, FileRun run, string error, CancellationToken cancellationToken)
    {
        logger.LogWarning("Could not ingest {File}: {Error}", file.Name, error);
        if (run.Kind == ExportKind.Consents || (run.Kind is null && NamedAsConsents(file.Name)))
        {
            await MarkConsentsIncompleteAsync(file.Name, run.ContentId, "failed: " + error, cancellationToken);
            logger.LogWarning("Nothing is planned or delivered until {File} is ingested completely: opt-outs may be in the part not read", file.Name);
        }

        var result = run.ToResult(FileStatus.Failed, error);
        await WriteSummaryAsync(file, run, result, cancellationToken);
        return result;
    }

    private Task MarkConsentsIncompleteAsync(string name, string contentId, string reason, CancellationToken cancellationToken) =>
        consentsGate.MarkIncompleteAsync(new IncompleteConsentsExport(name, contentId, reason, clock.GetCurrentInstant()), cancellationToken);

    /// <summary>A file that fails before its header is read could be a consents export; its name is all there is to go by.</summary>
    private static bool NamedAsConsents(string name) => name.Contains("consent", StringComparison.OrdinalIgnoreCase);

    private static FileIngestionResult Unreadable(string name, string error) =>
        new(name, null, null, 0, 0, 0, 0, 0, FileStatus.Failed, error);

    private async Task WriteSummaryAsync(IExportFile file, FileRun run, FileIngestionResult result, CancellationToken cancellationToken)
    {
        await using var stream = await file.CreateReportAsync(file.Name + ReportNames.SummarySuffix, cancellationToken);
        var report = JsonSerializer.SerializeToNode(result, ReportJson)!.AsObject();
        report["contentId"] = run.ContentId;
        report["finishedAt"] = InstantPattern.ExtendedIso.Format(clock.GetCurrentInstant());
        await JsonSerializer.SerializeAsync(stream, report, ReportJson, cancellationToken);
    }

    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private static async Task<string> ComputeContentIdAsync(IExportFile file, CancellationToken cancellationToken)
    {
        await using var stream = await file.OpenReadAsync(cancellationToken);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return "sha256:" + Convert.ToHexStringLower(hash);
    }

    internal static string Describe(ExportKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>Counters of one file; the store's results arrive on another task, hence the lock.</summary>
    private sealed class FileRun(string name, string contentId)
    {
        private readonly Lock _gate = new();
        private ApplyResult _applied;

        public string Name { get; } = name;
        public string ContentId { get; } = contentId;
        public ExportKind? Kind { get; set; }
        public string? Format { get; set; }
        public long RowsRead { get; set; }
        public long Rejected { get; set; }
        private long _warnings;

        /// <summary>Row warnings come from the reader, shared addresses from the store's task.</summary>
        public long Warnings => Interlocked.Read(ref _warnings);

        public void Warn(long count) => Interlocked.Add(ref _warnings, count);

        public long Accepted { get { lock (_gate) return _applied.Applied; } }
        public long Duplicates { get { lock (_gate) return _applied.Duplicates; } }
        private ErasureTotals? _erasure;

        public void Add(ApplyResult result)
        {
            lock (_gate) _applied += result;
        }

        /// <summary>A batch of an erasures export: every row is accepted (a customer named twice is erased once).</summary>
        public void Erased(IReadOnlyList<CustomerErasure> erased, int rows)
        {
            lock (_gate)
            {
                _applied += new ApplyResult(rows, 0);
                _erasure = (_erasure ?? ErasureTotals.Zero).Add(erased);
            }
        }

        /// <summary>Rows refused for erased customers are among the rejected (listed by line, without their content: it is what erasure removed).</summary>
        public FileIngestionResult ToResult(FileStatus status, string? error = null)
        {
            lock (_gate)
            {
                return new(Name, Kind is { } k ? Describe(k) : null, Format, RowsRead, Accepted, Rejected + _applied.Erased, Warnings, Duplicates, status, error)
                {
                    ErasedRows = _applied.Erased,
                    Erasure = Kind == ExportKind.Erasures ? _erasure ?? ErasureTotals.Zero : null,
                };
            }
        }
    }
}

/// <summary>Counts the bytes read through it, for progress on compressed and uncompressed files alike.</summary>
internal sealed class CountingStream(Stream inner) : ReadOnlyWrapperStream(inner)
{
    private long _bytesRead;

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public override int Read(Span<byte> buffer) => Count(Inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await Inner.ReadAsync(buffer, cancellationToken));

    private int Count(int read)
    {
        Interlocked.Add(ref _bytesRead, read);
        return read;
    }
}
