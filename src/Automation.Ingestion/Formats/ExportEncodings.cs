using System.Text;
using System.Text.RegularExpressions;

namespace Automation.Ingestion.Formats;

/// <summary>
/// Which encoding an export without a byte order mark is in: <see cref="IngestionSettings.Encoding"/>,
/// or the first of <see cref="IngestionSettings.Encodings"/> whose file-name pattern matches. Every
/// encoding is strict: a byte sequence it cannot decode stops the file, never becomes U+FFFD.
/// </summary>
public sealed class ExportEncodings
{
    private readonly Encoding _default;
    private readonly List<(Regex Pattern, Encoding Encoding)> _byName = [];

    static ExportEncodings() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public ExportEncodings(IngestionSettings options)
    {
        _default = Strict(options.Encoding) ?? throw new ArgumentException(Unknown(IngestionSettings.Section + ":Encoding", options.Encoding));
        foreach (var (pattern, name) in options.Encodings)
        {
            var encoding = Strict(name) ?? throw new ArgumentException(Unknown($"{IngestionSettings.Section}:Encodings:{pattern}", name));
            _byName.Add((Glob(pattern), encoding));
        }
    }

    /// <summary>The declared encoding of <paramref name="fileName"/>.</summary>
    public Encoding For(string fileName)
    {
        foreach (var (pattern, encoding) in _byName)
        {
            if (pattern.IsMatch(fileName)) return encoding;
        }

        return _default;
    }

    /// <summary>The encoding <paramref name="name"/> names (any .NET knows, code pages included), throwing on what it cannot decode; <c>null</c> if unknown.</summary>
    public static Encoding? Strict(string name)
    {
        try
        {
            return Encoding.GetEncoding(name.Trim(), EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    internal static string Unknown(string key, string name) =>
        $"{key} must name an encoding (for example utf-8, windows-1251, windows-1252, gb18030, shift_jis), got '{name}'.";

    /// <summary>A file-name pattern: <c>*</c> any run of characters, <c>?</c> one, case-insensitive, the whole name.</summary>
    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
