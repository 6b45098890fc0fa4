namespace Automation.Functions;

/// <summary>
/// The work queues (on the AzureWebJobsStorage account). A message that fails
/// <c>maxDequeueCount</c> times (host.json) moves to the queue of the same name with <c>-poison</c>
/// appended; docs/deploy.md says how to inspect and replay them.
/// </summary>
public static class QueueNames
{
    public const string PlanShards = "plan-shards";
    public const string Deliveries = "deliveries";
}
