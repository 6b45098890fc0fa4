namespace Automation.Service;

/// <summary>What one pass over inbox, schedule and delivery did.</summary>
public sealed record PassReport(long FilesIngested, long Plans, long MessagesSent, long Errors)
{
    /// <summary>Nothing came in, nothing was due: the service has caught up.</summary>
    public bool Idle => FilesIngested == 0 && Plans == 0 && MessagesSent == 0 && Errors == 0;
}

/// <summary>
/// What the running service has done, for whoever watches it: the exports ingested and plans made so
/// far, and each pass's report as it ends.
/// </summary>
public sealed class ServiceActivity
{
    private readonly Lock _gate = new();
    private TaskCompletionSource<PassReport> _nextPass = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long FilesIngested { get; private set; }
    public long Plans { get; private set; }

    /// <summary>The report of the first pass to end after this call.</summary>
    public Task<PassReport> NextPassAsync()
    {
        lock (_gate) return _nextPass.Task;
    }

    internal void PassEnded(PassReport pass)
    {
        TaskCompletionSource<PassReport> ended;
        lock (_gate)
        {
            FilesIngested += pass.FilesIngested;
            Plans += pass.Plans;
            ended = _nextPass;
            _nextPass = new TaskCompletionSource<PassReport>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        ended.SetResult(pass);
    }
}
