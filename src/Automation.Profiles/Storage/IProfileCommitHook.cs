namespace Automation.Profiles.Storage;

/// <summary>
/// Work that follows what profile writers commit, kept out of the writers (the forecast areas in use
/// are one). Every write session starts a follower of its own from each registered hook.
/// </summary>
/// <remarks>
/// A crash between a commit and its followers leaves the follow-up undone while the profiles stand;
/// what repairs it is that the writes are replayed: the caller re-applies (ingestion re-runs a file it
/// did not finish, and a file counts as finished only after its last commit's followers ran), and a
/// replayed change shows the follower the profile again even when it changes nothing.
/// </remarks>
public interface IProfileCommitHook
{
    IProfileCommitFollower Start();
}
