using System.Text;
using System.Text.RegularExpressions;

namespace Automation.Delivery.Tests;

/// <summary>
/// A strict little reader of the RFC 5322 / MIME messages the outbox writes, so tests check what a mail
/// client would see: unfolded headers, RFC 2047 encoded words, multipart boundaries, base64 bodies.
/// </summary>
internal sealed partial class MimeMessage
{
    private MimeMessage(Dictionary<string, string> headers, string body)
    {
        Headers = headers;
        Body = body;
    }

    public Dictionary<string, string> Headers { get; }
    public string Body { get; }
    public List<MimeMessage> Parts { get; } = [];

    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"No {name} header.");

    /// <summary>A header with its encoded words decoded, as a mail client shows it.</summary>
    public string Decoded(string name) => EncodedWord().Replace(AdjacentEncodedWords().Replace(Header(name), "?==?"), m =>
    {
        var charset = Encoding.GetEncoding(m.Groups[1].Value);
        var text = m.Groups[3].Value;
        var bytes = m.Groups[2].Value.Equals("B", StringComparison.OrdinalIgnoreCase)
            ? Convert.FromBase64String(text)
            : DecodeQ(text);
        return charset.GetString(bytes);
    });

    public string DecodedBody()
    {
        var encoding = Headers.GetValueOrDefault("Content-Transfer-Encoding", "7bit").ToLowerInvariant();
        return encoding == "base64" ? Encoding.UTF8.GetString(Convert.FromBase64String(Body.Replace("\r", "").Replace("\n", ""))) : Body;
    }

    public static MimeMessage Parse(string raw)
    {
        raw = raw.Replace("\r\n", "\n", StringComparison.Ordinal);
        var split = raw.IndexOf("\n\n", StringComparison.Ordinal);
        var headerBlock = split < 0 ? raw : raw[..split];
        var body = split < 0 ? "" : raw[(split + 2)..];
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        foreach (var line in headerBlock.Split('\n'))
        {
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t') && last is not null)
            {
                headers[last] += " " + line.Trim();
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) throw new FormatException($"Not a header line: '{line}'.");
            last = line[..colon];
            if (headers.ContainsKey(last)) throw new FormatException($"The header {last} appears twice.");
            headers[last] = line[(colon + 1)..].Trim();
        }

        var message = new MimeMessage(headers, body);
        if (headers.TryGetValue("Content-Type", out var type) && type.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            var boundary = Boundary().Match(type).Groups[1].Value;
            var sections = body.Split("--" + boundary);
            foreach (var section in sections.Skip(1))
            {
                if (section.StartsWith("--", StringComparison.Ordinal)) break;
                message.Parts.Add(Parse(section.TrimStart('\n')));
            }
        }

        return message;
    }

    private static byte[] DecodeQ(string text)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '=' && i + 2 < text.Length) { bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16)); i += 2; }
            else if (text[i] == '_') bytes.Add((byte)' ');
            else bytes.Add((byte)text[i]);
        }

        return [.. bytes];
    }

    [GeneratedRegex(@"=\?([^?]+)\?([BbQq])\?([^?]*)\?=")]
    private static partial Regex EncodedWord();

    /// <summary>Whitespace between two encoded words is not part of the text (RFC 2047, section 6.2).</summary>
    [GeneratedRegex(@"\?=\s+=\?")]
    private static partial Regex AdjacentEncodedWords();

    [GeneratedRegex("boundary=\"?([^\";]+)\"?")]
    private static partial Regex Boundary();
}
