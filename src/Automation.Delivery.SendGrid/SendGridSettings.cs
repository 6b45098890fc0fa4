using Automation.Settings;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Automation.Personalization;
using Microsoft.Extensions.Configuration;
using NodaTime;
using SendGrid.Helpers.EventWebhook;

namespace Automation.Delivery.SendGrid;

/// <summary>
/// Settings under <c>Automation:SendGrid</c>. Delivery goes to SendGrid exactly when <see cref="ApiKey"/>
/// is set. A class, not a record: a record's generated ToString would print the key.
/// </summary>
public sealed partial class SendGridSettings
{
    public const string Section = "Automation:SendGrid";
    public const string ApiKeyKey = Section + ":ApiKey";
    public const int MaxRecipientsPerRequestLimit = 1000;

    /// <summary>From configuration or a Key Vault reference; only ever put in the Authorization header.</summary>
    public string? ApiKey { get; private init; }
    public Uri BaseUrl { get; private init; } = new("https://api.sendgrid.com");
    /// <summary>SendGrid validates the request and answers as usual, but sends nothing.</summary>
    public bool SandboxMode { get; private init; }
    public string FromEmail { get; private init; } = "";
    public string? FromName { get; private init; }
    public int? UnsubscribeGroupId { get; private init; }
    /// <summary>Trigger name → SendGrid dynamic template id; triggers not listed send our locally rendered content.</summary>
    public IReadOnlyDictionary<string, string> TemplateIds { get; private init; } = new Dictionary<string, string>();
    public int MaxRecipientsPerRequest { get; private init; } = MaxRecipientsPerRequestLimit;
    public TimeSpan RequestTimeout { get; private init; } = TimeSpan.FromSeconds(30);
    public int MaxRetries { get; private init; } = 4;
    public TimeSpan RetryBaseDelay { get; private init; } = TimeSpan.FromSeconds(1);
    /// <summary>The longest a 429 may make delivery wait; a later reset leaves the messages for the next run.</summary>
    public Duration MaxRateLimitWait { get; private init; } = Duration.FromMinutes(5);
    /// <summary>The event webhook's verification key (base64 DER, as SendGrid shows it).</summary>
    public EllipticCurve.PublicKey? WebhookPublicKey { get; private init; }
    /// <summary>How old a signed webhook timestamp may be, either way, before the request is refused as a replay.</summary>
    public Duration WebhookMaxAge { get; private init; } = Duration.FromMinutes(10);

    public bool Enabled => ApiKey is not null;

    public override string ToString() => $"SendGrid at {BaseUrl} (sandbox {SandboxMode}, API key {(Enabled ? "set" : "not set")})";

    public static SendGridSettings Read(IConfiguration configuration)
    {
        var reader = new SettingsReader(configuration);
        var apiKey = reader.Text(ApiKeyKey, "", required: false);
        var settings = new SendGridSettings
        {
            ApiKey = apiKey.Length > 0 ? apiKey : null,
            BaseUrl = reader.Url(Section + ":BaseUrl", "https://api.sendgrid.com", "https://api.sendgrid.com or https://api.eu.sendgrid.com"),
            SandboxMode = reader.Bool(Section + ":SandboxMode", false),
            FromEmail = reader.Text(Section + ":FromEmail", configuration["Automation:Personalization:FromAddress"] ?? "", required: false),
            FromName = reader.Text(Section + ":FromName", configuration["Automation:Personalization:FromName"] ?? "", required: false) is { Length: > 0 } name ? name : null,
            UnsubscribeGroupId = reader.WholeNumber(Section + ":UnsubscribeGroupId", 0, 1, int.MaxValue, "") is > 0 and var group ? group : null,
            // An empty id switches a trigger back to local rendering (handy as an environment override).
            TemplateIds = reader.TextMap(Section + ":Templates").Where(t => t.Value.Length > 0).ToDictionary(StringComparer.OrdinalIgnoreCase),
            MaxRecipientsPerRequest = reader.WholeNumber(Section + ":MaxRecipientsPerRequest", MaxRecipientsPerRequestLimit, 1, MaxRecipientsPerRequestLimit, "recipients"),
            RequestTimeout = TimeSpan.FromSeconds(reader.Number(Section + ":RequestTimeoutSeconds", 30, 0.01, 600, "seconds")),
            MaxRetries = reader.WholeNumber(Section + ":MaxRetries", 4, 0, 10, "retries"),
            RetryBaseDelay = TimeSpan.FromSeconds(reader.Number(Section + ":RetryBaseDelaySeconds", 1, 0, 60, "seconds")),
            MaxRateLimitWait = Duration.FromSeconds(reader.WholeNumber(Section + ":MaxRateLimitWaitSeconds", 300, 0, 3600, "seconds")),
            WebhookPublicKey = ReadPublicKey(reader),
            WebhookMaxAge = Duration.FromSeconds(reader.WholeNumber(Section + ":EventWebhook:MaxAgeSeconds", 600, 1, 86_400, "seconds")),
        };

        foreach (var (trigger, templateId) in settings.TemplateIds)
        {
            if (!DynamicTemplateId().IsMatch(templateId))
            {
                reader.Error($"{Section}:Templates:{trigger} must be a SendGrid dynamic template id (d- and 32 hex digits), got '{templateId}'.");
            }
        }

        if (settings.Enabled)
        {
            if (!PersonalizationSettings.IsMailAddress(settings.FromEmail))
            {
                reader.Error($"{Section}:FromEmail (or Automation:Personalization:FromAddress) must be the verified sender's email address, got '{settings.FromEmail}'.");
            }

            if (settings.UnsubscribeGroupId is null)
            {
                reader.Error($"{Section}:UnsubscribeGroupId must name the SendGrid unsubscribe group of these marketing messages (Suppressions > Unsubscribe Groups).");
            }
        }

        reader.RejectUnknownKeys(Section);
        reader.ThrowIfInvalid();
        return settings;
    }

    /// <summary>The key as SendGrid's request validator takes it, once .NET has checked it is a P-256 public key.</summary>
    private static EllipticCurve.PublicKey? ReadPublicKey(SettingsReader reader)
    {
        const string key = Section + ":EventWebhook:PublicKey";
        var text = reader.Text(key, "", required: false);
        if (text.Length == 0) return null;
        using var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(text), out _);
            if (ecdsa.KeySize == 256) return new RequestValidator().ConvertPublicKeyToECDSA(text);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
        }

        reader.Error($"{key} must be the event webhook's verification key as SendGrid shows it (base64 of an ECDSA P-256 public key).");
        return null;
    }

    [GeneratedRegex("^d-[0-9a-f]{32}$")]
    private static partial Regex DynamicTemplateId();
}
