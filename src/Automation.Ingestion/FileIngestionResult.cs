using System.Text.Json.Serialization;

namespace Automation.Ingestion;

[JsonConverter(typeof(JsonStringEnumConverter<FileStatus>))]
public enum FileStatus
{
    /// <summary>Every row was read; rejected rows are in the report.</summary>
    [JsonStringEnumMemberName("completed")]
    Completed,
    /// <summary>This exact content was ingested completely before; nothing was done.</summary>
    [JsonStringEnumMemberName("skipped")]
    Skipped,
    /// <summary>The file could not be processed (unreadable, unknown kind, corrupt); rows committed before the failure stay.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,
}

/// <summary>What happened to one export; serialised as is (camelCase) by the CLI and into the report.</summary>
public sealed record FileIngestionResult(
    string Name,
    string? Kind,
    string? Format,
    long RowsRead,
    long Accepted,
    long Rejected,
    long Warnings,
    long Duplicates,
    FileStatus Status,
    string? Error = null)
{
    /// <summary>Rows (counted among the rejected) for customers who were erased: refused, so an old export cannot bring them back.</summary>
    public long ErasedRows { get; init; }

    /// <summary>For an <c>erasures</c> export, what was removed.</summary>
    public Profiles.Erasure.ErasureTotals? Erasure { get; init; }
}

/// <summary>Progress of one file, for interactive terminals.</summary>
public readonly record struct IngestionProgress(string Name, long BytesRead, long? TotalBytes, long RowsRead);
