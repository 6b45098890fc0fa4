using System.Globalization;
using System.Net;
using Polly;
using Polly.Retry;

namespace Automation.ContextSources.Pollen;

/// <summary>A provider's answer to one GET, after the retries: the final status and body, or why there is none.</summary>
internal sealed record ProviderAnswer(HttpStatusCode? Status, byte[] Body, string? Failure, int Attempts)
{
    public bool IsSuccess => Status is { } status && (int)status is >= 200 and < 300;

    public bool IsRetryable => Status is null or HttpStatusCode.TooManyRequests || (int)Status >= 500;

    /// <summary>What went wrong, for the recorded reason; never the URL, which may carry the key.</summary>
    public string Describe(string provider) => Failure is { } failure
        ? $"{provider}: {failure} ({Attempts} attempt(s))"
        : string.Create(CultureInfo.InvariantCulture, $"{provider} answered {(int)Status!} {Status} ({Attempts} attempt(s))");
}

/// <summary>
/// GET requests to a pollen API with a timeout per attempt and bounded retries (exponential backoff
/// with jitter) on timeouts, refused connections, 429 and 5xx. Forecast reads are idempotent, so
/// unlike sending mail, retrying after a timeout is safe.
/// </summary>
internal sealed class ProviderHttp
{
    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;
    private readonly ResiliencePipeline<ProviderAnswer> _retries;

    public ProviderHttp(HttpClient http, PollenContextSettings settings)
    {
        _http = http;
        _timeout = settings.RequestTimeout;
        _retries = new ResiliencePipelineBuilder<ProviderAnswer>()
            .AddRetry(new RetryStrategyOptions<ProviderAnswer>
            {
                // Polly wants at least one attempt; MaxRetries 0 is honoured by ShouldHandle handling nothing.
                MaxRetryAttempts = Math.Max(1, settings.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
                MaxDelay = TimeSpan.FromSeconds(30),
                ShouldHandle = args => ValueTask.FromResult(settings.MaxRetries > 0 && args.Outcome.Result is { IsRetryable: true }),
            })
            .Build();
    }

    public async Task<ProviderAnswer> GetAsync(string relativeUrl, CancellationToken cancellationToken)
    {
        var attempts = 0;
        var answer = await _retries.ExecuteAsync(async token =>
        {
            attempts++;
            return await AttemptAsync(relativeUrl, token);
        }, cancellationToken);
        return answer with { Attempts = attempts };
    }

    private async Task<ProviderAnswer> AttemptAsync(string relativeUrl, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var response = await _http.GetAsync(relativeUrl, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            return new ProviderAnswer(response.StatusCode, body, null, 1);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProviderAnswer(null, [], string.Create(CultureInfo.InvariantCulture, $"no answer within {_timeout.TotalSeconds:0.##} s"), 1);
        }
        catch (HttpRequestException ex)
        {
            // Socket errors name the host and port, never the query string.
            return new ProviderAnswer(null, [], "could not connect: " + ex.Message, 1);
        }
    }
}
