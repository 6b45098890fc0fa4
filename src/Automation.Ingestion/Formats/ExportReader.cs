using System.IO.Compression;

namespace Automation.Ingestion.Formats;

/// <summary>Opens an export: sees through gzip, tells JSON Lines from CSV, and recognises the kind.</summary>
public static class ExportReader
{
    public static async Task<IExportRowReader> OpenAsync(Stream content, string fileName, CancellationToken cancellationToken)
    {
        var (stream, gzip) = await SeeThroughGzipAsync(content, cancellationToken);
        var (peeked, isJson) = await PeekIsJsonAsync(stream, cancellationToken);
        var suffix = gzip ? "+gzip" : string.Empty;
        var baseName = gzip && fileName.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? fileName[..^3] : fileName;
        try
        {
            return isJson
                ? await JsonLinesExportRowReader.OpenAsync(peeked, baseName, "jsonl" + suffix, cancellationToken)
                : await CsvExportRowReader.OpenAsync(peeked, baseName, "csv" + suffix, cancellationToken);
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

    private static async Task<(Stream Stream, bool IsJson)> PeekIsJsonAsync(Stream stream, CancellationToken cancellationToken)
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
        if (NotText(span) is { } looksLike)
        {
            throw new ExportFormatException(
                $"This is not a text export: it looks like {looksLike}. Export the data as CSV (UTF-8) or JSON Lines and drop that file instead.");
        }

        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) span = span[3..];
        var firstSignificant = span.TrimStart(" \t\r\n"u8);
        var isJson = firstSignificant.Length > 0 && firstSignificant[0] == (byte)'{';
        return (new ReplayStream(head.AsMemory(0, read), stream), isJson);
    }

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
        // Text in UTF-16 or UTF-32 has NUL bytes too; its byte order mark says so.
        var utf16Or32 = head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) || head.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]);
        if (utf16Or32 || !head.Contains((byte)0)) return null;
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
