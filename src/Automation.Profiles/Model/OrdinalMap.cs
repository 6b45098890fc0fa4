namespace Automation.Profiles.Model;

/// <summary>
/// A map sorted by ordinal key order, so a document serialises the same whatever order its entries
/// arrived in. Array-backed: a profile holds several small maps and stays small in memory (write
/// sessions cache many profiles at once).
/// </summary>
public sealed class OrdinalMap<TValue> : SortedList<string, TValue>
{
    public OrdinalMap()
        : base(StringComparer.Ordinal)
    {
    }
}
