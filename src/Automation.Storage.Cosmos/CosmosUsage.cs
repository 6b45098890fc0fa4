namespace Automation.Storage.Cosmos;

/// <summary>
/// What Cosmos DB has charged since the process started: request units, and the requests the service
/// throttled (HTTP 429) with the time the client waited before retrying them.
/// </summary>
public readonly record struct CosmosUsage(double RequestUnits, long ThrottledRequests, TimeSpan ThrottledWait)
{
    public static CosmosUsage operator -(CosmosUsage after, CosmosUsage before) => new(
        after.RequestUnits - before.RequestUnits, after.ThrottledRequests - before.ThrottledRequests, after.ThrottledWait - before.ThrottledWait);
}
