namespace Automation.Settings;

/// <summary>Which known name a misspelt one was probably meant to be: the closest by edits, when it is close.</summary>
public static class NearMiss
{
    /// <summary>The known name within a few edits of <paramref name="name"/> (case ignored), or <c>null</c>.</summary>
    public static string? Closest(string name, IEnumerable<string> known) => known
        .Select(candidate => (candidate, distance: Near(name, candidate)))
        .Where(c => c.distance is not null)
        .OrderBy(c => c.distance).ThenBy(c => c.candidate, StringComparer.Ordinal)
        .Select(c => c.candidate)
        .FirstOrDefault();

    /// <summary>
    /// The known configuration key <paramref name="key"/> was probably meant to be: a known key, or a
    /// known section followed by the rest of <paramref name="key"/>, when its leading segments are a few edits from it.
    /// </summary>
    public static string? ClosestKey(string key, IEnumerable<string> known)
    {
        var segments = key.Split(':');
        return known
            .Select(candidate => (candidate, length: candidate.Count(c => c == ':') + 1))
            .Where(c => c.length <= segments.Length)
            .Select(c => (c.candidate, lead: string.Join(':', segments[..c.length])))
            .Select(c => (c.candidate, c.lead, distance: Near(c.lead, c.candidate)))
            .Where(c => c.distance is not null)
            .OrderBy(c => c.distance).ThenBy(c => c.candidate, StringComparer.Ordinal)
            .Select(c => c.candidate + key[c.lead.Length..])
            .FirstOrDefault();
    }

    /// <summary>The edits between the two (case ignored) when they differ by a few; <c>null</c> when equal or far apart.</summary>
    private static int? Near(string name, string candidate)
    {
        // Two edits catch a dropped, doubled or swapped letter; long names tolerate a little more.
        var distance = Distance(name.ToUpperInvariant(), candidate.ToUpperInvariant());
        return distance > 0 && distance <= Math.Max(2, name.Length / 8) ? distance : null;
    }

    /// <summary>Edits (insertions, deletions, substitutions, swaps of neighbours) from one text to the other.</summary>
    public static int Distance(string from, string to)
    {
        var rows = new int[from.Length + 1, to.Length + 1];
        for (var i = 0; i <= from.Length; i++) rows[i, 0] = i;
        for (var j = 0; j <= to.Length; j++) rows[0, j] = j;
        for (var i = 1; i <= from.Length; i++)
        {
            for (var j = 1; j <= to.Length; j++)
            {
                var cost = from[i - 1] == to[j - 1] ? 0 : 1;
                var best = Math.Min(Math.Min(rows[i - 1, j] + 1, rows[i, j - 1] + 1), rows[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && from[i - 1] == to[j - 2] && from[i - 2] == to[j - 1]) best = Math.Min(best, rows[i - 2, j - 2] + 1);
                rows[i, j] = best;
            }
        }

        return rows[from.Length, to.Length];
    }
}
