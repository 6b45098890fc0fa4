namespace Automation.Service;

/// <summary>
/// What the running service has done, for whoever watches it (a status line, a test): the work of
/// each pass over inbox, schedule and delivery, and a way to wait for the next pass to end.
/// </summary>
public sealed class ServiceActivity
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _nextPass = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Passes { get; private set; }
    public long FilesIngested { get; private set; }
    public long Plans { get; private set; }
    public long MessagesSent { get; private set; }
    public long Errors { get; private set; }

    /// <summary>Completes when a pass that starts after this call has ended.</summary>
    public Task NextPassAsync()
    {
        lock (_gate)
        {
            var afterCurrent = _nextPass.Task;
            return afterCurrent.ContinueWith(_ => NextPassTask(), TaskScheduler.Default).Unwrap();
        }
    }

    private Task NextPassTask()
    {
        lock (_gate) return _nextPass.Task;
    }

    internal void PassEnded(long filesIngested, long plans, long sent, long errors)
    {
        TaskCompletionSource ended;
        lock (_gate)
        {
            Passes++;
            FilesIngested += filesIngested;
            Plans += plans;
            MessagesSent += sent;
            Errors += errors;
            ended = _nextPass;
            _nextPass = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        ended.SetResult();
    }
}
