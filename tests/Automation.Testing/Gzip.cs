using System.IO.Compression;

namespace Automation.Testing;

public static class Gzip
{
    public static byte[] Compress(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal)) gzip.Write(content);
        return output.ToArray();
    }

    /// <summary>The file as a copy cut off part-way leaves it: the last bytes (the trailer and some data) missing.</summary>
    public static byte[] Truncated(byte[] compressed) => compressed[..^12];
}
