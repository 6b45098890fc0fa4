using Automation.Delivery.SendGrid.EventWebhook;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Automation.Functions.Delivery;

/// <summary>
/// SendGrid's signed event webhook. The handler verifies the ECDSA signature over the exact bytes
/// received and refuses unsigned or stale requests before reading a single event. Events it cannot
/// read are skipped, named in the log and the answer, and never cost the others.
/// </summary>
public sealed class SendGridEvents(EventWebhookHandler handler, ILogger<SendGridEvents> logger)
{
    [Function(nameof(SendGridEvents))]
    public async Task<IActionResult> RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "sendgrid/events")] HttpRequest request, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, cancellationToken);
        var result = await handler.HandleAsync(
            request.Headers[EventWebhookVerifier.SignatureHeader].FirstOrDefault(),
            request.Headers[EventWebhookVerifier.TimestampHeader].FirstOrDefault(),
            body.GetBuffer().AsMemory(0, (int)body.Length),
            cancellationToken);
        if (result.MalformedCount > 0) logger.LogWarning("SendGrid event webhook: {Malformed} malformed events skipped: {Reasons}", result.MalformedCount, string.Join("; ", result.Malformed!));
        return new ContentResult { StatusCode = result.StatusCode, Content = result.Message, ContentType = "text/plain; charset=utf-8" };
    }
}
