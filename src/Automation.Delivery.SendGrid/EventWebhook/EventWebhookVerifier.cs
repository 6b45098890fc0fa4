using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NodaTime;

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
/// followed by the raw body, with SHA-256. The body must be the bytes as received, not re-serialized.
/// </summary>
public sealed class EventWebhookVerifier(SendGridSettings settings, IClock clock)
{
    public const string SignatureHeader = "X-Twilio-Email-Event-Webhook-Signature";
    public const string TimestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp";

    public WebhookVerdict Verify(string? signature, string? timestamp, ReadOnlySpan<byte> body)
    {
        if (settings.WebhookPublicKey is not { } key) return WebhookVerdict.NotConfigured;
        if (string.IsNullOrWhiteSpace(signature) || string.IsNullOrWhiteSpace(timestamp)) return WebhookVerdict.MissingHeaders;
        byte[] der;
        try
        {
            der = Convert.FromBase64String(signature.Trim());
        }
        catch (FormatException)
        {
            return WebhookVerdict.BadSignature;
        }

        var stamp = Encoding.UTF8.GetBytes(timestamp);
        var signed = new byte[stamp.Length + body.Length];
        stamp.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(stamp.Length));
        bool valid;
        try
        {
            valid = key.VerifyData(signed, der, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
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
