using System.Security.Cryptography;
using System.Text.Json;
using Automation.Delivery.Feedback;

namespace Automation.Delivery.SendGrid.EventWebhook;

/// <summary>What the webhook answers: SendGrid retries anything but a 2xx for a day, so only trouble on our side is 5xx.</summary>
public sealed record WebhookResult(int StatusCode, string Message, FeedbackSummary? Summary = null, int Malformed = 0);

/// <summary>
/// The event webhook end to end: verify, read, apply. The Functions app maps an HTTP request onto
/// <see cref="HandleAsync"/>; <c>automation feedback</c> feeds a saved body through the same path.
/// </summary>
public sealed class EventWebhookHandler(EventWebhookVerifier verifier, FeedbackService feedback, SendGridSettings settings)
{
    public async Task<WebhookResult> HandleAsync(string? signature, string? timestamp, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        var verdict = verifier.Verify(signature, timestamp, body.Span);
        return verdict switch
        {
            WebhookVerdict.Valid => await ApplyAsync(body, cancellationToken),
            WebhookVerdict.NotConfigured => new WebhookResult(503,
                $"The event webhook has no verification key: set {SendGridSettings.Section}:EventWebhook:PublicKey to the key SendGrid shows for the signed webhook."),
            WebhookVerdict.MissingHeaders => new WebhookResult(401, $"The request is not signed: {EventWebhookVerifier.SignatureHeader} and {EventWebhookVerifier.TimestampHeader} are required."),
            WebhookVerdict.Stale => new WebhookResult(403, $"The signed timestamp is outside the allowed window of {settings.WebhookMaxAge.TotalSeconds:0} s; refused as a possible replay."),
            _ => new WebhookResult(403, "The signature does not match the body and the configured verification key."),
        };
    }

    /// <summary>Applies a body without a signature: only for a file an operator saved and trusts.</summary>
    public async Task<WebhookResult> ApplyAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        ParsedEvents parsed;
        try
        {
            parsed = SendGridEvents.Parse(body.Span);
        }
        catch (JsonException ex)
        {
            return new WebhookResult(400, $"The body is not a SendGrid event array: {ex.Message}");
        }

        var source = "sendgrid-events:sha256:" + Convert.ToHexStringLower(SHA256.HashData(body.Span))[..32];
        var summary = await feedback.ApplyAsync(parsed.Reports, source, cancellationToken);
        return new WebhookResult(200, $"{summary.Received} events: {summary.Recorded} recorded, {summary.Duplicates} duplicates, {summary.Unmatched} unmatched.", summary, parsed.Malformed);
    }
}
