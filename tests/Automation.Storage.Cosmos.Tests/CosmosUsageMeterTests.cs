using System.Net;
using FluentAssertions;
using Xunit;

namespace Automation.Storage.Cosmos.Tests;

public sealed class CosmosUsageMeterTests
{
    [Fact]
    public async Task Every_attempt_is_charged_and_each_throttled_one_counted_with_the_wait_the_service_asked_for()
    {
        var meter = new CosmosUsageMeter();
        using var client = new HttpClient(new CosmosUsageMeter.Handler(meter, new Answers(
            Answer(HttpStatusCode.TooManyRequests, charge: "0.0", retryAfterMs: "120"),
            Answer(HttpStatusCode.TooManyRequests, charge: "0.0", retryAfterMs: "250"),
            Answer(HttpStatusCode.Created, charge: "6.29", retryAfterMs: null))));

        for (var attempt = 0; attempt < 3; attempt++) (await client.PostAsync("http://127.0.0.1/dbs/d/colls/c/docs", null)).Dispose();

        meter.Current.RequestUnits.Should().BeApproximately(6.29, 0.001);
        meter.Current.ThrottledRequests.Should().Be(2);
        meter.Current.ThrottledWait.Should().Be(TimeSpan.FromMilliseconds(370));
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, string charge, string? retryAfterMs)
    {
        var response = new HttpResponseMessage(status);
        response.Headers.Add("x-ms-request-charge", charge);
        if (retryAfterMs is not null) response.Headers.Add("x-ms-retry-after-ms", retryAfterMs);
        return response;
    }

    /// <summary>Answers requests with the given responses, in order, as a throttled service would.</summary>
    private sealed class Answers(params HttpResponseMessage[] responses) : HttpMessageHandler
    {
        private int _next;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(responses[_next++]);
    }
}
