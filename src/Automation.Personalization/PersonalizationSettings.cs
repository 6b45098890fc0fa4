using Automation.Personalization.Links;
using Automation.Settings;
using Microsoft.Extensions.Configuration;

namespace Automation.Personalization;

/// <summary>Settings under <c>Automation:Personalization</c>.</summary>
/// <param name="PublicBaseUrl">Where the product answers the links in mail (<c>{PublicBaseUrl}/preferences/{token}</c>): https, or http on this machine.</param>
/// <param name="LinkKeys">The configured keys that sign those links; <c>null</c> when none is configured.</param>
public sealed record PersonalizationSettings(
    string TemplatesDirectory, string DefaultLocale, string PublicBaseUrl, LinkKeys? LinkKeys, string FromAddress, string FromName)
{
    public const string Section = "Automation:Personalization";
    public const string LinkKeysKey = Section + ":LinkKeys";

    public static PersonalizationSettings Read(IConfiguration configuration)
    {
        var reader = new SettingsReader(configuration);
        if (configuration[Section + ":UnsubscribeUrl"] is not null)
        {
            reader.Error($"{Section}:UnsubscribeUrl is replaced by {Section}:PublicBaseUrl: the product answers the unsubscribe link itself (docs/privacy.md).");
            reader.ReadElsewhere(Section + ":UnsubscribeUrl");
        }

        var settings = new PersonalizationSettings(
            reader.Text(Section + ":TemplatesDirectory", "templates"),
            reader.Text(Section + ":DefaultLocale", "en"),
            reader.Text(Section + ":PublicBaseUrl", "", required: false).TrimEnd('/'),
            ReadLinkKeys(reader),
            reader.Text(Section + ":FromAddress", "", required: false),
            reader.Text(Section + ":FromName", "", required: false));
        if (settings.PublicBaseUrl.Length > 0 && !IsPublicBaseUrl(settings.PublicBaseUrl))
        {
            reader.Error($"{Section}:PublicBaseUrl must be an https URL without query (e.g. https://shop.example.com/automation), or http on this machine (http://127.0.0.1:5080), got '{settings.PublicBaseUrl}'.");
        }

        if (settings.FromAddress.Length > 0 && !IsMailAddress(settings.FromAddress))
        {
            reader.Error($"{Section}:FromAddress must be an email address (e.g. news@shop.example.com), got '{settings.FromAddress}'.");
        }

        try
        {
            _ = System.Globalization.CultureInfo.GetCultureInfo(settings.DefaultLocale, predefinedOnly: true);
        }
        catch (System.Globalization.CultureNotFoundException)
        {
            reader.Error($"{Section}:DefaultLocale must be a language tag such as en or it-IT, got '{settings.DefaultLocale}'.");
        }

        reader.RejectUnknownKeys(Section);
        reader.ThrowIfInvalid();
        return settings;
    }

    /// <summary>The configured keys; a wrong one is named by position, never shown.</summary>
    private static LinkKeys? ReadLinkKeys(SettingsReader reader)
    {
        var texts = reader.List(LinkKeysKey, []);
        var keys = new List<byte[]>();
        for (var i = 0; i < texts.Count; i++)
        {
            if (Links.LinkKeys.Parse(texts[i]) is { } key) keys.Add(key);
            else reader.Error($"{LinkKeysKey} entry {i + 1} must be a base64 key of at least {Links.LinkKeys.MinimumBytes} bytes (its value is not shown).");
        }

        return keys.Count > 0 && keys.Count == texts.Count ? new LinkKeys(keys) : null;
    }

    private static bool IsPublicBaseUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Query.Length == 0 && url.Fragment.Length == 0
        && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback));

    /// <summary>What sending needs and is not set: a sentence per missing setting.</summary>
    public IReadOnlyList<string> MissingForSending() =>
    [
        .. PublicBaseUrl.Length == 0 ? [$"{Section}:PublicBaseUrl must be set."] : Array.Empty<string>(),
        .. FromAddress.Length == 0 ? [$"{Section}:FromAddress must be set."] : Array.Empty<string>(),
    ];

    /// <summary>A bare address (no display name, no angle brackets), as a sender setting must be.</summary>
    public static bool IsMailAddress(string text) =>
        System.Net.Mail.MailAddress.TryCreate(text, out var address) && address.Address == text;
}
