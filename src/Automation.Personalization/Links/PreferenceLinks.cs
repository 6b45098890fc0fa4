using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Automation.Messages;

namespace Automation.Personalization.Links;

/// <summary>
/// The link every mail carries to its preference page, which is also the one-click unsubscribe URL
/// (RFC 8058). The token is the message id and an HMAC-SHA256 over it: it names no customer and no
/// address, and only the product can make one. The message id leads to the customer through the log.
/// </summary>
public sealed class PreferenceLinks(Uri publicBaseUrl, LinkKeys keys)
{
    /// <summary>The path under the public base URL; the hosts route <c>{Route}/{token}</c> to the preference page.</summary>
    public const string Route = "preferences";

    private const string Purpose = "automation preference link v1:";
    private static readonly System.Buffers.SearchValues<char> UrlSafe = System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    private readonly string _base = publicBaseUrl.AbsoluteUri.TrimEnd('/');

    /// <summary>
    /// The links of a sending host: the public base URL, the configured keys or else the host's own
    /// (<paramref name="fallback"/>). Throws with a sentence per missing setting.
    /// </summary>
    public static PreferenceLinks From(PersonalizationSettings settings, ILinkKeyFallback? fallback)
    {
        var missing = settings.MissingForSending().ToList();
        var keys = settings.LinkKeys ?? fallback?.Load();
        if (keys is null) missing.Add($"{PersonalizationSettings.LinkKeysKey} must be set (in Azure, a Key Vault reference): the keys that sign the links in mail.");
        if (missing.Count > 0) throw new Settings.SettingsValidationException(missing);
        return new PreferenceLinks(new Uri(settings.PublicBaseUrl), keys!);
    }

    public string UrlFor(MessageId messageId) => $"{_base}/{Route}/{TokenFor(messageId)}";

    public string TokenFor(MessageId messageId) => messageId.Value + "." + Base64Url.EncodeToString(Mac(keys.Keys[0], messageId.Value));

    /// <summary>The message a token was made for, or <c>null</c> for a token this product did not make (forged, altered, cut short).</summary>
    public MessageId? Read(string token)
    {
        var dot = token.IndexOf('.');
        if (dot <= 0 || dot > 64) return null;
        var messageId = token[..dot];
        var text = token.AsSpan(dot + 1);
        // 32 bytes are 43 characters of unpadded base64url; anything else is not a token of ours.
        if (text.Length != 43 || text.ContainsAnyExcept(UrlSafe)) return null;
        var mac = new byte[32];
        try
        {
            if (!Base64Url.TryDecodeFromChars(text, mac, out var written) || written != mac.Length) return null;
        }
        catch (FormatException)
        {
            // A last character whose unused bits are set: not how this product writes a token.
            return null;
        }

        foreach (var key in keys.Keys)
        {
            if (CryptographicOperations.FixedTimeEquals(Mac(key, messageId), mac)) return new MessageId(messageId);
        }

        return null;
    }

    private static byte[] Mac(byte[] key, string messageId) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(Purpose + messageId));
}
