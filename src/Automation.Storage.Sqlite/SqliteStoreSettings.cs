using Automation.Settings;
using Microsoft.Extensions.Configuration;

namespace Automation.Storage.Sqlite;

/// <summary>Settings under <c>Automation:Storage:Sqlite</c>.</summary>
public sealed record SqliteStoreSettings
{
    public const string Section = "Automation:Storage:Sqlite";

    /// <summary>Folder holding the database file; created when missing.</summary>
    public string DataDirectory { get; init; } = ".automation";

    public string FileName { get; init; } = "automation.db";

    /// <summary>
    /// Profiles a write session keeps in memory between commits (about 300 bytes each, in binary form). Exports interleave
    /// customers, so a cache that holds every active customer reads and writes each profile once per
    /// commit instead of once per batch. Beyond it, the session writes its profiles back and starts over.
    /// </summary>
    public int ProfileCacheSize { get; init; } = 100_000;

    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, FileName));

    /// <exception cref="SettingsValidationException">A setting is wrong; one sentence names each.</exception>
    public static SqliteStoreSettings Read(IConfiguration configuration)
    {
        var reader = new SettingsReader(configuration);
        var defaults = new SqliteStoreSettings();
        var settings = new SqliteStoreSettings
        {
            DataDirectory = reader.Text(Section + ":DataDirectory", defaults.DataDirectory),
            FileName = reader.Text(Section + ":FileName", defaults.FileName),
            ProfileCacheSize = reader.WholeNumber(Section + ":ProfileCacheSize", defaults.ProfileCacheSize, 1_000, 10_000_000, "profiles"),
        };
        if (settings.FileName.IndexOfAny(['/', '\\']) >= 0) reader.Error($"{Section}:FileName must be a file name, not a path, got '{settings.FileName}'.");
        reader.RejectUnknownKeys(Section);
        reader.ThrowIfInvalid();
        return settings;
    }
}
