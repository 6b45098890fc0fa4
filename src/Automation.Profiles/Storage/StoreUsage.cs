namespace Automation.Profiles.Storage;

/// <summary>
/// What a metered backend has spent since the process started: request units, and the requests the
/// service throttled (HTTP 429) with the time the client waited before retrying them.
/// </summary>
public readonly record struct StoreUsage(double RequestUnits, long ThrottledRequests, TimeSpan ThrottledWait)
{
    public static StoreUsage operator -(StoreUsage after, StoreUsage before) => new(
        after.RequestUnits - before.RequestUnits, after.ThrottledRequests - before.ThrottledRequests, after.ThrottledWait - before.ThrottledWait);
}

/// <summary>Registered by backends that charge per request (Cosmos DB); hosts report it per run.</summary>
public interface IStoreUsageMeter
{
    StoreUsage Current { get; }
}
