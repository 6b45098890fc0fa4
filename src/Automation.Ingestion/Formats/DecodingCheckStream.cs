using System.Text;

namespace Automation.Ingestion.Formats;

/// <summary>
/// Passes an export's bytes through unchanged while decoding them strictly on the side: the first
/// byte sequence the encoding cannot decode stops the file with its line and byte offset, so a
/// Windows-1251 file read as UTF-8 fails with a reason instead of storing U+FFFD for every name.
/// </summary>
/// <param name="compressed">
/// The bytes come out of gzip: a damaged archive yields garbage before its checksum fails, and the
/// damage, not the encoding, is then the reason to give.
/// </param>
internal sealed class DecodingCheckStream(Stream inner, Encoding encoding, string fileName, bool compressed) : ReadOnlyWrapperStream(inner)
{
    private readonly Decoder _decoder = encoding.GetDecoder();
    private readonly char[] _chars = new char[16 * 1024];
    private long _bytesChecked;
    private long _line = 1;
    private bool _flushed;

    public override int Read(Span<byte> buffer)
    {
        var read = Inner.Read(buffer);
        try
        {
            Check(buffer[..read]);
        }
        catch (ExportFormatException) when (compressed)
        {
            Inner.CopyTo(Null);
            throw;
        }

        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await Inner.ReadAsync(buffer, cancellationToken);
        try
        {
            Check(buffer.Span[..read]);
        }
        catch (ExportFormatException) when (compressed)
        {
            // Reads to the end: a damaged archive throws its own InvalidDataException on the way.
            await Inner.CopyToAsync(Null, cancellationToken);
            throw;
        }

        return read;
    }

    private void Check(ReadOnlySpan<byte> bytes)
    {
        var final = bytes.IsEmpty;
        if (final && _flushed) return;
        var offset = 0;
        try
        {
            // The end of the file: a sequence cut short there is as invalid as a wrong byte.
            if (final) _decoder.Convert(ReadOnlySpan<byte>.Empty, _chars, flush: true, out _, out _, out _);
            while (offset < bytes.Length)
            {
                _decoder.Convert(bytes[offset..], _chars, flush: false, out var bytesUsed, out var charsUsed, out _);
                _line += _chars.AsSpan(0, charsUsed).Count('\n');
                offset += bytesUsed;
            }
        }
        catch (DecoderFallbackException ex)
        {
            var at = offset + Math.Max(0, ex.Index);
            var line = _line + bytes[offset..Math.Min(at, bytes.Length)].Count((byte)'\n');
            var offending = Convert.ToHexString(ex.BytesUnknown ?? []);
            throw new ExportFormatException(
                $"The file is not valid {encoding.WebName} text: line {line}, byte {_bytesChecked + at} holds the sequence 0x{offending}, which {encoding.WebName} cannot decode. " +
                $"Say which encoding {fileName} is in with {IngestionSettings.Section}:Encoding (for example windows-1251, windows-1252 or gb18030) or " +
                $"{IngestionSettings.Section}:Encodings for its file name, or export it as UTF-8.", ex);
        }

        _bytesChecked += bytes.Length;
        _flushed = final;
    }
}
