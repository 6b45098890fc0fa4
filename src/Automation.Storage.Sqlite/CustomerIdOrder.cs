namespace Automation.Storage.Sqlite;

/// <summary>
/// The order stores stream customers in: by Unicode code point, which is also UTF-8 byte order (what
/// SQLite's BINARY collation sorts by). UTF-16 ordinal order differs from it for characters beyond
/// U+FFFF, so joining two streams by <see cref="string.CompareOrdinal(string, string)"/> could miss pairs.
/// </summary>
internal static class CustomerIdOrder
{
    public static int Compare(string a, string b)
    {
        var left = a.EnumerateRunes();
        var right = b.EnumerateRunes();
        while (true)
        {
            var hasLeft = left.MoveNext();
            var hasRight = right.MoveNext();
            if (!hasLeft || !hasRight) return hasLeft.CompareTo(hasRight);
            var order = left.Current.Value.CompareTo(right.Current.Value);
            if (order != 0) return order;
        }
    }

    public static readonly IComparer<string> Comparer = Comparer<string>.Create(Compare);
}
