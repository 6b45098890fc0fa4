using System.ComponentModel.DataAnnotations;

namespace Automation.Storage.Sqlite;

/// <summary>Settings under <c>Automation:Storage:Sqlite</c>.</summary>
public sealed class SqliteStoreOptions
{
    public const string Section = "Automation:Storage:Sqlite";

    /// <summary>Folder holding the database file; created when missing.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = ".automation";

    [Required(AllowEmptyStrings = false)]
    [RegularExpression(@"^[^/\\]+$", ErrorMessage = "Automation:Storage:Sqlite:FileName must be a file name, not a path.")]
    public string FileName { get; set; } = "automation.db";

    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, FileName));
}
