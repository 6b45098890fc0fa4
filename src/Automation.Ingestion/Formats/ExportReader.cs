using System.IO.Compression;
using System.Text;

namespace Automation.Ingestion.Formats;

/// <summary>Opens an export: sees through gzip, tells JSON Lines from CSV, and recognises the kind.</summary>
public static class ExportReader
{
    /// <param name="declared">The encoding the settings give this file, used when it has no byte order mark.</param>
    public static async Task<IExportRowReader> OpenAsync(Stream content, string fileName, Encoding declared, CancellationToken cancellationToken)
    {
        var (stream, gzip) = await SeeThroughGzipAsync(content, cancellationToken);
        var (text, isJson) = await OpenTextAsync(stream, fileName, declared, gzip, cancellationToken);
        var suffix = gzip ? "+gzip" : string.Empty;
        var baseName = gzip && fileName.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? fileName[..^3] : fileName;
        try
        {
            return isJson
                ? await JsonLinesExportRowReader.OpenAsync(text, baseName, "jsonl" + suffix, cancellationToken)
                : await CsvExportRowReader.OpenAsync(text, baseName, "csv" + suffix, cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            throw new ExportFormatException("The compressed file is corrupt: " + ex.Message, ex);
        }
    }

    private static async Task<(Stream Stream, bool Gzip)> SeeThroughGzipAsync(Stream content, CancellationToken cancellationToken)
    {
        var tracked = new TrailerTrackingStream(content);
        var head = new byte[2];
        var read = await tracked.ReadAtLeastAsync(head, 2, throwOnEndOfStream: false, cancellationToken);
        var replay = new ReplayStream(head.AsMemory(0, read), tracked);
        var isGzip = read == 2 && head[0] == 0x1F && head[1] == 0x8B;
        return isGzip ? (new GzipCompletenessCheck(new GZipStream(replay, CompressionMode.Decompress), tracked), true) : (replay, false);
    }

    /// <summary>
    /// The export as UTF-8, whatever it was written in: a byte order mark (UTF-8, UTF-16, UTF-32) says
    /// which encoding, else the declared one does. Every byte is checked as it streams through
    /// (<see cref="DecodingCheckStream"/>), and anything but UTF-8 is transcoded, so the readers see
    /// only valid UTF-8. Also tells JSON Lines from CSV by the first character.
    /// </summary>
    private static async Task<(Stream Text, bool IsJson)> OpenTextAsync(Stream stream, string fileName, Encoding declared, bool gzip, CancellationToken cancellationToken)
    {
        var head = new byte[512];
        int read;
        try
        {
            read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            throw new ExportFormatException("The compressed file is corrupt: " + ex.Message, ex);
        }

        var span = head.AsSpan(0, read);
        var (marked, markLength) = ByteOrderMark(span);
        var encoding = marked ?? declared;
        // A declared UTF-16 or UTF-32 file has NUL bytes by nature; any other is checked for being text at all.
        if (encoding.GetByteCount("a") == 1 && NotText(span) is { } looksLike)
        {
            throw new ExportFormatException(
                $"This is not a text export: it looks like {looksLike}. Export the data as CSV (UTF-8) or JSON Lines and drop that file instead.");
        }

        var firstText = LenientCopy(encoding).GetString(span[markLength..]).TrimStart(' ', '\t', '\r', '\n', '\uFEFF');
        var isJson = firstText.Length > 0 && firstText[0] == '{';
        Stream text = new DecodingCheckStream(new ReplayStream(head.AsMemory(0, read), stream), encoding, fileName, compressed: gzip);
        if (encoding.CodePage != Encoding.UTF8.CodePage) text = Encoding.CreateTranscodingStream(text, encoding, new UTF8Encoding(false), leaveOpen: false);
        return (text, isJson);
    }

    private static (Encoding? Encoding, int Length) ByteOrderMark(ReadOnlySpan<byte> head)
    {
        // UTF-32 LE first: its mark begins with UTF-16 LE's.
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00])) return (ExportEncodings.Strict("utf-32"), 4);
        if (head.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF])) return (ExportEncodings.Strict("utf-32BE"), 4);
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return (ExportEncodings.Strict("utf-8"), 3);
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return (ExportEncodings.Strict("utf-16"), 2);
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return (ExportEncodings.Strict("utf-16BE"), 2);
        return (null, 0);
    }

    /// <summary>For a peek at the first characters only: the head may end inside a character.</summary>
    private static Encoding LenientCopy(Encoding encoding) => Encoding.GetEncoding(encoding.CodePage, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback);

    /// <summary>What the first bytes say a file is when it is not text: a spreadsheet, an archive, a document.</summary>
    private static string? NotText(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("PK\u0003\u0004"u8)) return "a ZIP archive, such as an Excel workbook (.xlsx) or an OpenDocument spreadsheet (.ods)";
        if (head.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])) return "an old-style Office file, such as an Excel 97–2003 workbook (.xls)";
        if (head.StartsWith("%PDF"u8)) return "a PDF document";
        if (head.StartsWith((ReadOnlySpan<byte>)[0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C])) return "a 7-Zip archive";
        if (head.StartsWith("Rar!"u8)) return "a RAR archive";
        if (head.StartsWith("BZh"u8)) return "a bzip2-compressed file (only gzip is read)";
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00])) return "an xz-compressed file (only gzip is read)";
        if (head.StartsWith((ReadOnlySpan<byte>)[0x28, 0xB5, 0x2F, 0xFD])) return "a Zstandard-compressed file (only gzip is read)";
        if (head.StartsWith("SQLite format 3\0"u8)) return "an SQLite database";
        if (!head.Contains((byte)0)) return null;
        if (LooksLikeUtf16(head)) return "text in UTF-16 without a byte order mark; save it as UTF-8 (or as UTF-16 with a byte order mark)";
        // A stray control character in a name is text gone slightly wrong (ingestion removes it, with a
        // warning); a file where they are common is not text at all.
        var controls = 0;
        foreach (var b in head) controls += b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r') ? 1 : 0;
        return controls * 10 > head.Length ? "binary data (it is full of NUL and other control bytes, which no text export has)" : null;
    }

    /// <summary>ASCII text in UTF-16 has a NUL in every other byte.</summary>
    private static bool LooksLikeUtf16(ReadOnlySpan<byte> head)
    {
        int evenNuls = 0, oddNuls = 0;
        for (var i = 0; i + 1 < head.Length; i += 2)
        {
            if (head[i] == 0) evenNuls++;
            if (head[i + 1] == 0) oddNuls++;
        }

        var pairs = head.Length / 2;
        return pairs > 0 && Math.Max(evenNuls, oddNuls) >= pairs * 0.9 && Math.Min(evenNuls, oddNuls) == 0;
    }
}

/// <summary>Gives back bytes already read from a non-seekable stream, then continues with the stream.</summary>
internal sealed class ReplayStream(ReadOnlyMemory<byte> prefix, Stream inner) : ReadOnlyWrapperStream(inner)
{
    private ReadOnlyMemory<byte> _prefix = prefix;

    public override int Read(Span<byte> buffer)
    {
        if (_prefix.IsEmpty) return Inner.Read(buffer);
        var n = Math.Min(buffer.Length, _prefix.Length);
        _prefix.Span[..n].CopyTo(buffer);
        _prefix = _prefix[n..];
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _prefix.IsEmpty ? Inner.ReadAsync(buffer, cancellationToken) : ValueTask.FromResult(Read(buffer.Span));
}
