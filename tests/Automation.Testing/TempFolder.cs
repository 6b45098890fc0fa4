using System.IO.Compression;
using System.Text;

namespace Automation.Testing;

/// <summary>A folder under the system temp directory, deleted with the test.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "automation-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes text exactly as given (no newline conversion), UTF-8 without BOM unless asked.</summary>
    public string Write(string name, string content, bool bom = false)
    {
        var path = File(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content, new UTF8Encoding(bom));
        return path;
    }

    public string WriteGzip(string name, string content)
    {
        var path = File(name);
        using var file = System.IO.File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        gzip.Write(Encoding.UTF8.GetBytes(content));
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a pooled connection is cleaned up with the temp folder later.
        }
    }
}
