namespace Automation.Ingestion.Formats;

/// <summary>
/// The current row of an export, by canonical column. One instance is reused for every row of a file,
/// so nothing here may be kept past the next read.
/// </summary>
public sealed class ExportRow
{
    private Func<string>? _rawText;

    internal ExportRow(ExportSchema schema)
    {
        Schema = schema;
        Values = new string?[schema.Columns.Count];
    }

    public ExportSchema Schema { get; }

    /// <summary>The 1-based line of the file where the row starts.</summary>
    public long Line { get; internal set; }

    /// <summary>Trimmed values by canonical column index; <c>null</c> for an empty cell.</summary>
    public string?[] Values { get; }

    /// <summary>Columns that are not part of the standard format, with their non-empty values.</summary>
    public List<KeyValuePair<string, string>> Extra { get; } = [];

    /// <summary>The row as it appears in the file (computed only when asked: rejected rows only).</summary>
    public string RawText => _rawText?.Invoke() ?? string.Empty;

    public string? this[int column] => Values[column];

    internal void Reset(long line, Func<string> rawText)
    {
        Line = line;
        _rawText = rawText;
        Array.Clear(Values);
        Extra.Clear();
    }

    internal static string? Clean(string? value)
    {
        if (value is null) return null;
        var trimmed = value.Trim();
        return trimmed.Length == 0 ? null : trimmed;
    }
}

/// <summary>A record the reader could not split into fields (bad quoting, wrong field count, broken JSON).</summary>
public sealed record MalformedRow(long Line, string Reason, string RawText);

/// <summary>Malformed records a reader skipped, handed over in file order by <see cref="IExportRowReader.TakeMalformed"/>.</summary>
internal sealed class MalformedRows
{
    private readonly List<MalformedRow> _rows = [];

    public void Add(MalformedRow row) => _rows.Add(row);

    public IReadOnlyList<MalformedRow> TakeAll()
    {
        if (_rows.Count == 0) return [];
        var taken = _rows.ToArray();
        _rows.Clear();
        return taken;
    }
}

/// <summary>The file as a whole cannot be read: unknown kind, missing required column, corrupt compression.</summary>
public sealed class ExportFormatException(string message, Exception? inner = null) : Exception(message, inner);
