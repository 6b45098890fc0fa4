namespace Automation.Ingestion.Validation;

/// <summary>
/// The limits a value must keep to be stored: ids that every store takes as a key (Cosmos DB refuses
/// <c>/ \ ? #</c> in an id and keys over 255 characters), and free text short enough that one cell
/// cannot bloat a profile (docs/export-format.md).
/// </summary>
internal static class FieldLimits
{
    public const int MaxIdentifierLength = 128;
    public const int MaxTextLength = 1_000;
    private static readonly System.Buffers.SearchValues<char> Reserved = System.Buffers.SearchValues.Create("/\\?#");

    /// <summary>Why <paramref name="id"/> cannot be a customer or transaction id, or <c>null</c> when it can.</summary>
    public static string? IdentifierProblem(string id)
    {
        if (id.Length > MaxIdentifierLength) return $"is {id.Length} characters long; an id may have at most {MaxIdentifierLength}";
        if (id.StartsWith(Automation.Profiles.Erasure.Tombstone.Prefix, StringComparison.Ordinal)) return $"starts with '{Automation.Profiles.Erasure.Tombstone.Prefix}', which marks erased customers in the store";
        var reserved = id.AsSpan().IndexOfAny(Reserved);
        if (reserved >= 0) return $"contains '{id[reserved]}', which no id may hold (/, \\, ? and # are reserved by the stores)";
        foreach (var c in id)
        {
            if (char.IsControl(c)) return $"contains the control character U+{(int)c:X4}";
        }

        return null;
    }
}
