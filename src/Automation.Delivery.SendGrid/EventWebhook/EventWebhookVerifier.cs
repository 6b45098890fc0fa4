using System.Globalization;
using System.Text;
using NodaTime;
using SendGrid.Helpers.EventWebhook;

namespace Automation.Delivery.SendGrid.EventWebhook;

public enum WebhookVerdict
{
    Valid,
    /// <summary>No verification key is configured, so nothing can be trusted.</summary>
    NotConfigured,
    MissingHeaders,
    BadSignature,
    /// <summary>The signed timestamp is outside the allowed window: a replay, or a clock far off.</summary>
    Stale,
}

/// <summary>
/// SendGrid's signed event webhook: an ECDSA P-256 signature, base64 DER, over the timestamp header
/// followed by the raw body, with SHA-256, checked by SendGrid's own <see cref="RequestValidator"/>.
/// The body must be the bytes as received, not re-serialized.
/// </summary>
public sealed class EventWebhookVerifier(SendGridSettings settings, IClock clock)
{
    private static readonly RequestValidator Validator = new();

    public const string SignatureHeader = "X-Twilio-Email-Event-Webhook-Signature";
    public const string TimestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp";

    public WebhookVerdict Verify(string? signature, string? timestamp, ReadOnlySpan<byte> body)
    {
        if (settings.WebhookPublicKey is not { } key) return WebhookVerdict.NotConfigured;
        if (string.IsNullOrWhiteSpace(signature) || string.IsNullOrWhiteSpace(timestamp)) return WebhookVerdict.MissingHeaders;
        bool valid;
        try
        {
            // The signed payload is the body's bytes; SendGrid's validator takes them as UTF-8 text, which a JSON body is.
            valid = Validator.VerifySignature(key, Encoding.UTF8.GetString(body), signature.Trim(), timestamp);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or IndexOutOfRangeException or InvalidOperationException or OverflowException)
        {
            // A signature that is not base64 DER of an ECDSA signature.
            valid = false;
        }

        if (!valid) return WebhookVerdict.BadSignature;
        // Checked after the signature, so a forged timestamp cannot tell an attacker anything.
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || UnixSeconds.ToInstant(seconds) is not { } signedAt) return WebhookVerdict.Stale;
        var age = clock.GetCurrentInstant() - signedAt;
        return Duration.Max(age, -age) <= settings.WebhookMaxAge ? WebhookVerdict.Valid : WebhookVerdict.Stale;
    }
}
