using Automation.Profiles.Changes;
using Automation.Profiles.Mailboxes;

namespace Automation.Profiles.Storage;

/// <summary>What a write session's commits found that ingestion reports line by line (<see cref="IProfileWriter.TakeFindings"/>).</summary>
/// <param name="SharedAddresses">Customers who got an address another customer already has.</param>
/// <param name="ErasedRows">Rows refused because their customer was erased: the line of each, never its content.</param>
public sealed record WriterFindings(IReadOnlyList<SharedAddress> SharedAddresses, IReadOnlyList<LineSource> ErasedRows);

/// <summary>
/// A writer's findings, kept until its commit makes them final and ingestion takes them. Thread-safe:
/// a backend may find them on several threads at once.
/// </summary>
public sealed class CommitFindings
{
    private readonly Lock _gate = new();
    private readonly List<SharedAddress> _shared = [];
    private readonly List<LineSource> _erased = [];
    private readonly List<SharedAddress> _sharedCommitted = [];
    private readonly List<LineSource> _erasedCommitted = [];

    public void Shared(SharedAddress shared)
    {
        lock (_gate) _shared.Add(shared);
    }

    public void Erased(IEnumerable<ProfileChange> refused)
    {
        lock (_gate) _erased.AddRange(refused.Select(c => c.Source));
    }

    /// <summary>After a commit: what was found since the last one is final.</summary>
    public void Committed()
    {
        lock (_gate)
        {
            _sharedCommitted.AddRange(_shared);
            _erasedCommitted.AddRange(_erased);
            _shared.Clear();
            _erased.Clear();
        }
    }

    public WriterFindings Take()
    {
        lock (_gate)
        {
            var taken = new WriterFindings([.. _sharedCommitted], [.. _erasedCommitted]);
            _sharedCommitted.Clear();
            _erasedCommitted.Clear();
            return taken;
        }
    }
}
