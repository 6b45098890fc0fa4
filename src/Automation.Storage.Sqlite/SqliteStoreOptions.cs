using System.ComponentModel.DataAnnotations;

namespace Automation.Storage.Sqlite;

/// <summary>Settings under <c>Automation:Storage:Sqlite</c>.</summary>
public sealed class SqliteStoreOptions
{
    public const string Section = "Automation:Storage:Sqlite";

    /// <summary>Folder holding the database file; created when missing.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = Section + ":DataDirectory must name a folder.")]
    public string DataDirectory { get; set; } = ".automation";

    [Required(AllowEmptyStrings = false, ErrorMessage = Section + ":FileName must name a file.")]
    [RegularExpression(@"^[^/\\]+$", ErrorMessage = Section + ":FileName must be a file name, not a path.")]
    public string FileName { get; set; } = "automation.db";

    /// <summary>
    /// Profiles a write session keeps in memory between commits (about 300 bytes each, in binary form). Exports interleave
    /// customers, so a cache that holds every active customer reads and writes each profile once per
    /// commit instead of once per batch. Beyond it, the session writes its profiles back and starts over.
    /// </summary>
    [Range(1_000, 10_000_000, ErrorMessage = Section + ":ProfileCacheSize must be a whole number of profiles from {1} to {2}.")]
    public int ProfileCacheSize { get; set; } = 100_000;

    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, FileName));
}
