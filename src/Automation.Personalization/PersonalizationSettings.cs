using Automation.Messages;
using Automation.Settings;
using Microsoft.Extensions.Configuration;

namespace Automation.Personalization;

/// <summary>Settings under <c>Automation:Personalization</c>.</summary>
/// <param name="UnsubscribeUrl">An https URL with <c>{messageId}</c> in it; the message id identifies customer and message without revealing either.</param>
public sealed record PersonalizationSettings(string TemplatesDirectory, string DefaultLocale, string UnsubscribeUrl, string FromAddress, string FromName)
{
    public const string Section = "Automation:Personalization";

    public static PersonalizationSettings Read(IConfiguration configuration)
    {
        var reader = new SettingsReader(configuration);
        var settings = new PersonalizationSettings(
            reader.Text(Section + ":TemplatesDirectory", "templates"),
            reader.Text(Section + ":DefaultLocale", "en"),
            reader.Text(Section + ":UnsubscribeUrl", "", required: false),
            reader.Text(Section + ":FromAddress", "", required: false),
            reader.Text(Section + ":FromName", "", required: false));
        if (settings.UnsubscribeUrl.Length > 0
            && (!Uri.TryCreate(settings.UnsubscribeUrl.Replace("{messageId}", "m0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
                || uri.Scheme != Uri.UriSchemeHttps || !settings.UnsubscribeUrl.Contains("{messageId}", StringComparison.Ordinal)))
        {
            reader.Error($"{Section}:UnsubscribeUrl must be an https URL containing {{messageId}} (e.g. https://shop.example.com/unsubscribe/{{messageId}}), got '{settings.UnsubscribeUrl}'.");
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

    /// <summary>What sending needs and is not set: a sentence per missing setting.</summary>
    public IReadOnlyList<string> MissingForSending() =>
    [
        .. UnsubscribeUrl.Length == 0 ? [$"{Section}:UnsubscribeUrl must be set."] : Array.Empty<string>(),
        .. FromAddress.Length == 0 ? [$"{Section}:FromAddress must be set."] : Array.Empty<string>(),
    ];

    public string UnsubscribeUrlFor(MessageId messageId) => UnsubscribeUrl.Replace("{messageId}", Uri.EscapeDataString(messageId.Value), StringComparison.Ordinal);

    /// <summary>A bare address (no display name, no angle brackets), as a sender setting must be.</summary>
    public static bool IsMailAddress(string text) =>
        System.Net.Mail.MailAddress.TryCreate(text, out var address) && address.Address == text;
}
