namespace Automation.Hosting;

/// <summary>
/// A file that holds a secret or personal data: written under a fresh name, readable by its owner only
/// from its creation, then moved into place. No one reads half of it, a stale copy with wider
/// permissions is never reused, and a write that fails leaves nothing behind.
/// </summary>
public static class OwnerOnlyFile
{
    /// <returns><c>false</c> when <paramref name="replace"/> is off and the file exists (another process wrote it first).</returns>
    public static bool Write(string path, bool replace, Action<Stream> write)
    {
        var staging = StagingFor(path);
        try
        {
            using (var stream = new FileStream(staging, Options())) write(stream);
            return Publish(staging, path, replace);
        }
        finally
        {
            File.Delete(staging);
        }
    }

    /// <inheritdoc cref="Write"/>
    public static async Task<bool> WriteAsync(string path, bool replace, Func<Stream, Task> write)
    {
        var staging = StagingFor(path);
        try
        {
            await using (var stream = new FileStream(staging, Options())) await write(stream);
            return Publish(staging, path, replace);
        }
        finally
        {
            File.Delete(staging);
        }
    }

    private static string StagingFor(string path) => $"{path}.{Guid.NewGuid():N}.partial";

    private static FileStreamOptions Options()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        return options;
    }

    private static bool Publish(string staging, string path, bool replace)
    {
        try
        {
            File.Move(staging, path, replace);
            return true;
        }
        catch (IOException) when (!replace && File.Exists(path))
        {
            return false;
        }
    }
}
