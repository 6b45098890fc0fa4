using Automation.Profiles.Model;

namespace Automation.Profiles.Storage;

/// <summary>One write session's follower (<see cref="IProfileCommitHook"/>).</summary>
public interface IProfileCommitFollower
{
    /// <summary>
    /// A profile the session merged, changed or not, as it will be committed. Called while the
    /// session writes, possibly from several threads at once: keep what the follow-up needs, no I/O.
    /// </summary>
    void Merged(CustomerProfile profile);

    /// <summary>After each commit, once what was merged before it is durable; a session's commits never overlap.</summary>
    Task CommittedAsync(CancellationToken cancellationToken);
}
