using Automation.Ingestion;

namespace Automation.Service;

/// <summary>
/// Which exports in the inbox are ready to ingest. A file is ready once two looks in a row see the
/// same size and write time: a data team's copy still in progress is left until it is complete.
/// Whether its content was ingested before (by this process, an earlier one, or under another name)
/// is the ingestion ledger's answer, so files that arrived while the service was down are ingested
/// on start and nothing is ingested twice.
/// </summary>
public sealed class InboxWatcher(string folder)
{
    private Dictionary<string, FileStamp> _lastLook = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileStamp> _handled = new(StringComparer.Ordinal);

    public string Folder { get; } = Path.GetFullPath(folder);

    /// <summary>Exports unchanged since the previous look and not handled in this state, in name order.</summary>
    public IReadOnlyList<LocalExportFile> ReadyFiles()
    {
        var look = new Dictionary<string, FileStamp>(StringComparer.Ordinal);
        var ready = new List<LocalExportFile>();
        foreach (var file in LocalExportFile.InFolder(Folder))
        {
            FileStamp stamp;
            try
            {
                var info = new FileInfo(file.Path);
                stamp = new FileStamp(info.Length, info.LastWriteTimeUtc);
            }
            catch (FileNotFoundException)
            {
                continue;
            }

            look[file.Path] = stamp;
            if (_lastLook.GetValueOrDefault(file.Path) == stamp && _handled.GetValueOrDefault(file.Path) != stamp) ready.Add(file);
        }

        _lastLook = look;
        return ready;
    }

    /// <summary>Exports seen on the last look that are neither handled nor ready yet: still arriving.</summary>
    public bool HasArrivingFiles => _lastLook.Any(entry => _handled.GetValueOrDefault(entry.Key) != entry.Value);

    /// <summary>The file was ingested, skipped as known, or failed: look again only when it changes.</summary>
    public void Handled(LocalExportFile file)
    {
        if (_lastLook.TryGetValue(file.Path, out var stamp)) _handled[file.Path] = stamp;
    }

    private readonly record struct FileStamp(long Length, DateTime WrittenAt);
}
