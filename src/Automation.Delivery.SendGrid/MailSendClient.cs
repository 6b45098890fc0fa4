using System.Net;
using System.Text.Json;
using Automation.Delivery.Feedback;
using NodaTime;
using SendGrid;

namespace Automation.Delivery.SendGrid;

internal enum MailSendOutcome
{
    /// <summary>202: SendGrid took the request (accepted, not delivered).</summary>
    Accepted,
    /// <summary>400: something in the request is wrong; never retried as it is.</summary>
    BadRequest,
    /// <summary>413: the body is too large.</summary>
    TooLarge,
    Unauthorized,
    Forbidden,
    RateLimited,
    ServerError,
    /// <summary>The connection failed before the request left: safe to try again.</summary>
    NotSent,
    /// <summary>A timeout or a lost response: SendGrid may have the request. Never retried.</summary>
    Ambiguous,
}

internal sealed record SendGridError(string Message, string? Field);

internal sealed record MailSendResponse(MailSendOutcome Outcome, string Detail)
{
    public IReadOnlyList<SendGridError> Errors { get; init; } = [];
    public Instant? RateLimitReset { get; init; }
}

/// <summary>
/// POST /v3/mail/send through SendGrid's own client, over the HttpClient IHttpClientFactory gives
/// (<see cref="SendGridSender.HttpClientName"/>, with the timeout set), and SendGrid's answer as one of
/// the outcomes delivery acts on. Given an HttpClient, SendGrid's client adds no retry handler of its
/// own: retrying a timeout would break at-most-once, so retries stay <see cref="SendGridSender"/>'s.
/// The base URL is settable (EU data residency, the test server); the key goes into the
/// Authorization header of each request and into no message.
/// </summary>
internal sealed class MailSendClient(HttpClient http, SendGridSettings settings)
{
    private const int MaxErrorBodyBytes = 64 * 1024;

    private readonly global::SendGrid.SendGridClient _client = new(http, new SendGridClientOptions
    {
        ApiKey = settings.ApiKey,
        Host = settings.BaseUrl.AbsoluteUri,
        HttpErrorAsException = false,
    });

    internal async Task<MailSendResponse> PostMailAsync(string body, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.RequestAsync(BaseClient.Method.POST, body, urlPath: "mail/send", cancellationToken: cancellationToken);
            return await ReadAsync(response, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError)
        {
            return new MailSendResponse(MailSendOutcome.NotSent, $"could not connect to SendGrid ({ex.HttpRequestError})");
        }
        catch (HttpRequestException ex)
        {
            return new MailSendResponse(MailSendOutcome.Ambiguous, $"the connection to SendGrid failed mid-request ({ex.HttpRequestError}); SendGrid may have the messages");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new MailSendResponse(MailSendOutcome.Ambiguous, $"SendGrid did not answer within {http.Timeout.TotalSeconds:0.##} s; it may have the messages");
        }
    }

    private static async Task<MailSendResponse> ReadAsync(Response response, CancellationToken cancellationToken)
    {
        var code = (int)response.StatusCode;
        switch (response.StatusCode)
        {
            case HttpStatusCode.Accepted or HttpStatusCode.OK:
                var id = response.Headers.TryGetValues("X-Message-Id", out var ids) ? ids.FirstOrDefault() : null;
                return new MailSendResponse(MailSendOutcome.Accepted, id is null ? "accepted by SendGrid" : $"accepted by SendGrid ({id})");
            case HttpStatusCode.BadRequest:
                var errors = await ReadErrorsAsync(response, cancellationToken);
                return new MailSendResponse(MailSendOutcome.BadRequest, Describe(code, errors)) { Errors = errors };
            case HttpStatusCode.RequestEntityTooLarge:
                return new MailSendResponse(MailSendOutcome.TooLarge, "413: the request is larger than SendGrid accepts");
            case HttpStatusCode.Unauthorized:
                return new MailSendResponse(MailSendOutcome.Unauthorized, Describe(code, await ReadErrorsAsync(response, cancellationToken)));
            case HttpStatusCode.Forbidden:
                return new MailSendResponse(MailSendOutcome.Forbidden, Describe(code, await ReadErrorsAsync(response, cancellationToken)));
            case HttpStatusCode.TooManyRequests:
                Instant? reset = response.Headers.TryGetValues("X-RateLimit-Reset", out var values)
                    && long.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
                        ? Instant.FromUnixTimeSeconds(seconds) : null;
                return new MailSendResponse(MailSendOutcome.RateLimited, "429: SendGrid's rate limit") { RateLimitReset = reset };
            case >= HttpStatusCode.InternalServerError:
                return new MailSendResponse(MailSendOutcome.ServerError, $"{code}: SendGrid failed to take the request");
            default:
                // Any other answer means SendGrid did not take the request; as safe as a 400, and not retried.
                return new MailSendResponse(MailSendOutcome.BadRequest, $"{code}: unexpected answer from SendGrid");
        }
    }

    private static async Task<IReadOnlyList<SendGridError>> ReadErrorsAsync(Response response, CancellationToken cancellationToken)
    {
        if (response.Body?.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true) return [];
        var bytes = await response.Body.ReadAsByteArrayAsync(cancellationToken);
        if (bytes.Length > MaxErrorBodyBytes) return [];
        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (!document.RootElement.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array) return [];
            return errors.EnumerateArray()
                .Where(e => e.ValueKind == JsonValueKind.Object)
                .Select(e => new SendGridError(
                    ProviderText.Masked(e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "no message"),
                    e.TryGetProperty("field", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null))
                .ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static string Describe(int code, IReadOnlyList<SendGridError> errors) =>
        errors.Count == 0 ? $"{code} from SendGrid" : $"{code}: " + string.Join("; ", errors.Select(e => e.Field is null ? e.Message : $"{e.Message} ({e.Field})"));
}
