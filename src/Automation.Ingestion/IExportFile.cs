namespace Automation.Ingestion;

/// <summary>An export as the pipeline sees it: a name, its bytes, and a place for reports next to it.</summary>
public interface IExportFile
{
    string Name { get; }

    /// <summary>Size in bytes when known (for progress), else <c>null</c>.</summary>
    long? Length { get; }

    Task<Stream> OpenReadAsync(CancellationToken cancellationToken);

    /// <summary>Creates or replaces a report named <paramref name="reportName"/> next to the export.</summary>
    Task<Stream> CreateReportAsync(string reportName, CancellationToken cancellationToken);
}

/// <summary>An export on the local file system; reports are written in the same folder.</summary>
public sealed class LocalExportFile(string path) : IExportFile
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public string Name => System.IO.Path.GetFileName(Path);

    public long? Length => new FileInfo(Path).Length;

    public Task<Stream> OpenReadAsync(CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan));

    /// <summary>
    /// Written under a hidden temporary name and renamed over the report when closed: a reader (or a
    /// second run ingesting the same export) sees the previous report or the new one, whole, and two
    /// runs never fight over one open file.
    /// </summary>
    public Task<Stream> CreateReportAsync(string reportName, CancellationToken cancellationToken)
    {
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        var temporary = System.IO.Path.Combine(folder, $".{reportName}.{Guid.NewGuid():N}.tmp");
        return Task.FromResult<Stream>(new ReplaceOnCloseStream(temporary, System.IO.Path.Combine(folder, reportName)));
    }

    /// <summary>The exports in a folder (not its reports or hidden files), in name order.</summary>
    public static IEnumerable<LocalExportFile> InFolder(string folder) =>
        Directory.EnumerateFiles(folder)
            .Where(f => !ReportNames.IsReport(f) && !System.IO.Path.GetFileName(f).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .Select(f => new LocalExportFile(f));
}

public static class ReportNames
{
    public const string RejectedSuffix = ".rejected.csv";
    public const string SummarySuffix = ".report.json";

    /// <summary>True for the reports this pipeline writes next to an export, which must never be ingested themselves.</summary>
    public static bool IsReport(string fileName) =>
        fileName.EndsWith(RejectedSuffix, StringComparison.OrdinalIgnoreCase)
        || fileName.EndsWith(SummarySuffix, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A file stream whose file replaces <c>target</c> when it is closed.</summary>
internal sealed class ReplaceOnCloseStream(string temporary, string target)
    : FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous)
{
    private readonly string _target = target;
    private bool _closed;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        // Not from a finalizer: a report abandoned half-written never replaces a whole one.
        if (disposing) Replace();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Replace();
    }

    private void Replace()
    {
        if (_closed) return;
        _closed = true;
        File.Move(Name, _target, overwrite: true);
    }
}
