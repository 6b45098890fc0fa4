using Automation.Profiles.Model;
using Automation.Profiles.Storage;

namespace Automation.ContextSources.Areas;

/// <summary>
/// Keeps the set of forecast areas in use as profiles are committed, so the daily fetch never scans
/// customers. An area is added after the commit of the profile in it; the window a crash leaves
/// (a customer whose area is missing) closes when the writes are replayed, and
/// <c>automation pollen --rebuild-areas</c> rebuilds the set from every profile.
/// </summary>
public sealed class ForecastAreaUpkeep(AreaLocator locator, IForecastAreaStore areas) : IProfileCommitHook
{
    public IProfileCommitFollower Start() => new Follower(locator, areas);

    private sealed class Follower(AreaLocator locator, IForecastAreaStore areas) : IProfileCommitFollower
    {
        private readonly Lock _lock = new();
        private readonly HashSet<ForecastArea> _merged = [];
        // Added by this session already: a long ingestion writes each area once, not once per commit.
        private readonly HashSet<ForecastArea> _added = [];

        public void Merged(CustomerProfile profile)
        {
            if (locator.Locate(profile) is not { } area) return;
            lock (_lock) _merged.Add(area);
        }

        public async Task CommittedAsync(CancellationToken cancellationToken)
        {
            ForecastArea[] toAdd;
            lock (_lock)
            {
                _merged.ExceptWith(_added);
                toAdd = [.. _merged];
            }

            if (toAdd.Length == 0) return;
            await areas.AddAreasAsync(toAdd, cancellationToken);
            lock (_lock)
            {
                _added.UnionWith(toAdd);
                _merged.ExceptWith(toAdd);
            }
        }
    }
}
