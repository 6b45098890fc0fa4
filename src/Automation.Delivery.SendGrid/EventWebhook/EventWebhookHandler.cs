using System.Security.Cryptography;
using System.Text.Json;
using Automation.Delivery.Feedback;

namespace Automation.Delivery.SendGrid.EventWebhook;

/// <summary>
/// What the webhook answers: SendGrid retries anything but a 2xx for a day and then drops the batch, so
/// only trouble on our side (a store that is down) is 5xx; a verified body is acknowledged whatever it holds.
/// </summary>
/// <param name="Malformed">Why each entry that was not a readable event was skipped ("event 3: ...").</param>
public sealed record WebhookResult(int StatusCode, string Message, FeedbackSummary? Summary = null, IReadOnlyList<string>? Malformed = null)
{
    public int MalformedCount => Malformed?.Count ?? 0;
}

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

    /// <summary>
    /// Applies a body without a signature: only for a file an operator saved and trusts. An entry that is
    /// not a readable event is skipped and named; the others are applied. A body that is not a JSON array
    /// at all is answered 200 with nothing applied: sending it again would not make it readable.
    /// </summary>
    public async Task<WebhookResult> ApplyAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
    {
        ParsedEvents parsed;
        try
        {
            parsed = SendGridEvents.Parse(body.Span);
        }
        catch (JsonException ex)
        {
            var why = $"the body is not a SendGrid event array: {ex.Message}";
            return new WebhookResult(200, $"Nothing applied: {why}.", new FeedbackSummary(), [why]);
        }

        var source = "sendgrid-events:sha256:" + Convert.ToHexStringLower(SHA256.HashData(body.Span))[..32];
        var summary = await feedback.ApplyAsync(parsed.Reports, source, cancellationToken);
        var malformed = parsed.Malformed.Count == 0 ? "" : $", {parsed.Malformed.Count} malformed and skipped ({string.Join("; ", parsed.Malformed.Take(3))}{(parsed.Malformed.Count > 3 ? "; ..." : "")})";
        return new WebhookResult(200, $"{summary.Received} events: {summary.Recorded} recorded, {summary.Duplicates} duplicates, {summary.Unmatched} unmatched{malformed}.", summary, parsed.Malformed);
    }
}
