namespace Automation.Personalization.Links;

/// <summary>
/// The keys that sign the links in mail, newest first: the newest signs, every one verifies, so a key
/// can be rotated without breaking the links of mail already sent. Never printed.
/// </summary>
public sealed class LinkKeys
{
    /// <summary>Enough for HMAC-SHA256, whose block is 64 bytes and output 32.</summary>
    public const int MinimumBytes = 32;

    public LinkKeys(IReadOnlyList<byte[]> keys)
    {
        if (keys.Count == 0 || keys.Any(k => k.Length < MinimumBytes)) throw new ArgumentException($"Link keys are at least {MinimumBytes} bytes, and there is at least one.", nameof(keys));
        Keys = keys;
    }

    public IReadOnlyList<byte[]> Keys { get; }

    public override string ToString() => $"{Keys.Count} link key(s)";

    /// <summary>A new random key as the settings hold it (base64).</summary>
    public static string NewKeyText() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(MinimumBytes));

    /// <summary>A key as the settings hold it, or null when it is not base64 of at least <see cref="MinimumBytes"/> bytes.</summary>
    public static byte[]? Parse(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text.Trim(), buffer, out var written) && written >= MinimumBytes ? buffer[..written] : null;
    }
}
