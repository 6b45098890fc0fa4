using System.Text;

namespace Automation.Ingestion.Validation;

/// <summary>
/// C0 and C1 control characters (ESC, BEL, NUL, CR, LF, DEL…) in a name or a label: stored, they would
/// retitle or clear an operator's terminal, or start a fake header line in a mail. Line breaks and tabs
/// become a space, the others go.
/// </summary>
internal static class ControlCharacters
{
    public static (string Clean, List<char> Removed) Remove(string text)
    {
        var first = text.AsSpan().IndexOfAnyInRange('\u0000', '\u001F');
        if (first < 0 && text.AsSpan().IndexOfAnyInRange('\u007F', '\u009F') < 0) return (text, []);
        var removed = new List<char>();
        var clean = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!char.IsControl(c))
            {
                clean.Append(c);
                continue;
            }

            removed.Add(c);
            if (c is '\r' or '\n' or '\t' && clean.Length > 0 && clean[^1] != ' ') clean.Append(' ');
        }

        return (clean.ToString().Trim(), removed);
    }
}
