using System.Buffers.Binary;

namespace Automation.Ingestion.Formats;

/// <summary>
/// Keeps the last 8 bytes of a compressed stream as they go by: the gzip trailer (CRC-32 and ISIZE,
/// the uncompressed length modulo 2^32).
/// </summary>
internal sealed class TrailerTrackingStream(Stream inner) : ReadOnlyWrapperStream(inner)
{
    private readonly byte[] _tail = new byte[8];
    private long _total;

    /// <summary>ISIZE from the trailer, or null when fewer than 8 bytes went by.</summary>
    public uint? TrailerLength => _total < 8 ? null : BinaryPrimitives.ReadUInt32LittleEndian(Tail().AsSpan(4));

    public override int Read(Span<byte> buffer) => Track(buffer[..Inner.Read(buffer)]);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await Inner.ReadAsync(buffer, cancellationToken);
        return Track(buffer.Span[..read]);
    }

    /// <summary>A ring of the last 8 bytes: byte number k of the stream sits at k mod 8.</summary>
    private int Track(ReadOnlySpan<byte> read)
    {
        var skipped = Math.Max(0, read.Length - 8);
        _total += skipped;
        foreach (var b in read[skipped..]) _tail[_total++ % 8] = b;
        return read.Length;
    }

    private byte[] Tail()
    {
        var ordered = new byte[8];
        for (var i = 0; i < 8; i++) ordered[i] = _tail[(_total + i) % 8];
        return ordered;
    }
}

/// <summary>
/// Decompressed gzip that fails at its end when it is shorter than the trailer says. .NET's GZipStream
/// does not check the trailer, so a file cut short by an interrupted upload would otherwise read as a
/// complete, shorter export.
/// </summary>
internal sealed class GzipCompletenessCheck(Stream decompressed, TrailerTrackingStream compressed) : ReadOnlyWrapperStream(decompressed)
{
    private long _length;

    public override int Read(Span<byte> buffer) => Check(Inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Check(await Inner.ReadAsync(buffer, cancellationToken));

    private int Check(int read)
    {
        _length += read;
        if (read == 0 && compressed.TrailerLength != (uint)_length)
        {
            throw new InvalidDataException(
                "the compressed file ends early: it holds less than its gzip trailer says (an interrupted copy or upload?)");
        }

        return read;
    }
}
