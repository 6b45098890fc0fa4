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
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) span = span[3..];
        var firstSignificant = span.TrimStart(" \t\r\n"u8);
        var isJson = firstSignificant.Length > 0 && firstSignificant[0] == (byte)'{';
        return (new ReplayStream(head.AsMemory(0, read), stream), isJson);
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
