using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;

namespace Automation.Storage.Cosmos;

/// <summary>
/// Counts what every HTTP exchange with Cosmos DB cost. It sits under the SDK's retry policy (as the
/// handler of the SDK's HttpClient, gateway mode), so it sees each throttled attempt and the wait the
/// service asked for, which the SDK's responses only summarise. Hosts report it per run; only the
/// Cosmos DB store registers it.
/// </summary>
public sealed class CosmosUsageMeter
{
    public const string Name = "Automation.Storage.Cosmos";
    private long _milliRequestUnits;
    private long _throttled;
    private long _throttledWaitMs;

    public CosmosUsageMeter()
    {
    }

    /// <summary>Also reports the counts to telemetry (docs/operations.md).</summary>
    public CosmosUsageMeter(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        meter.CreateObservableCounter("automation.cosmos.request_units", () => Current.RequestUnits, "{RU}", "Request units Cosmos DB charged.");
        meter.CreateObservableCounter("automation.cosmos.throttled_requests", () => Current.ThrottledRequests, "{request}", "Requests Cosmos DB throttled (HTTP 429).");
        meter.CreateObservableCounter("automation.cosmos.throttled_wait", () => Current.ThrottledWait.TotalSeconds, "s", "Time the client waited before retrying throttled requests.");
    }

    public CosmosUsage Current => new(
        Interlocked.Read(ref _milliRequestUnits) / 1000.0, Interlocked.Read(ref _throttled), TimeSpan.FromMilliseconds(Interlocked.Read(ref _throttledWaitMs)));

    internal void Record(HttpResponseMessage response)
    {
        if (Header(response, "x-ms-request-charge") is { } charge) Interlocked.Add(ref _milliRequestUnits, (long)Math.Round(charge * 1000));
        if (response.StatusCode != HttpStatusCode.TooManyRequests) return;
        Interlocked.Increment(ref _throttled);
        if (Header(response, "x-ms-retry-after-ms") is { } wait) Interlocked.Add(ref _throttledWaitMs, (long)wait);
    }

    private static double? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values)
        && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>The handler the SDK's HttpClient sends through.</summary>
    internal sealed class Handler(CosmosUsageMeter meter, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            meter.Record(response);
            return response;
        }
    }
}
