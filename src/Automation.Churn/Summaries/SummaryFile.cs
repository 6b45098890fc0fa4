using System.Globalization;
using System.Runtime.CompilerServices;
using CsvHelper;

namespace Automation.Churn.Summaries;

/// <summary>One line of a summary file: a customer, or what is wrong with it.</summary>
public abstract record SummaryLine(long Line);

/// <param name="MonetaryValue">Mean value of the repeat purchases, when the file has the column and x &gt; 0.</param>
public sealed record SummaryRow(long Line, string Id, RfmSummary Summary, double? MonetaryValue) : SummaryLine(Line);

/// <param name="Field">The column at fault, or <c>null</c> when the line is not valid CSV.</param>
public sealed record SummaryRowProblem(string File, long Line, string? Field, string Reason) : SummaryLine(Line)
{
    public override string ToString() => Field is null ? $"{File} line {Line}: {Reason}" : $"{File} line {Line}, {Field}: {Reason}";
}

/// <summary>
/// Reads an RFM summary file as the BTYD literature and the lifetimes library write it: a header with
/// <c>ID,frequency,recency,T</c> and optionally <c>monetary_value</c> (or Fader &amp; Hardie's names
/// <c>x,t_x,T,zbar</c>), times in weeks. Streams: memory does not grow with the file.
/// </summary>
public static class SummaryFile
{
    private static readonly (string Column, string[] Names)[] Columns =
    [
        ("ID", ["id", "customer_id"]),
        ("frequency", ["frequency", "x"]),
        ("recency", ["recency", "t_x"]),
        ("T", ["t"]),
    ];

    private static readonly string[] MonetaryNames = ["monetary_value", "zbar"];

    /// <summary>Good rows, and a problem for each bad one (file, line, field, reason); reading goes on past them.</summary>
    /// <exception cref="SummaryFileException">The file is missing or its header lacks a column.</exception>
    public static async IAsyncEnumerable<SummaryLine> ReadAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path)) throw new SummaryFileException($"The summary file {path} does not exist.");
        var malformed = new Queue<SummaryRowProblem>();
        var options = CsvReaderOptions.Default with
        {
            TrackLineNumbers = true,
            IncludeValuesInExceptions = false,
            MalformedData = CsvMalformedDataHandling.Skip,
            FieldCountMismatch = CsvFieldCountHandling.Skip,
            OnMalformedRecord = m => malformed.Enqueue(new SummaryRowProblem(path, m.LineNumber, null, $"not valid CSV ({m.Reason})")),
        };
        using var csv = CsvReader.Create(File.OpenRead(path), options, leaveOpen: false);
        await csv.ReadHeaderAsync(cancellationToken);
        var headers = csv.Headers.Select((name, index) => (Name: name.Trim().ToLowerInvariant(), index)).ToDictionary(h => h.Name, h => h.index);
        int? IndexOf(string[] names) => names.Select(n => headers.TryGetValue(n, out var i) ? i : (int?)null).FirstOrDefault(i => i is not null);
        var indexes = Columns.Select(c => (c.Column, Index: IndexOf(c.Names))).ToList();
        var missing = indexes.Where(c => c.Index is null).Select(c => c.Column).ToList();
        if (missing.Count > 0)
        {
            throw new SummaryFileException($"The summary file {path} has no column {string.Join(", ", missing)}; its header must be ID,frequency,recency,T[,monetary_value] (or x,t_x,T,zbar).");
        }

        var (id, frequency, recency, age) = (indexes[0].Index!.Value, indexes[1].Index!.Value, indexes[2].Index!.Value, indexes[3].Index!.Value);
        var monetary = IndexOf(MonetaryNames);
        while (await csv.ReadAsync(cancellationToken))
        {
            while (malformed.TryDequeue(out var problem)) yield return problem;
            var line = csv.LineNumber;
            string Text(int index) => index < csv.FieldCount ? csv.GetString(index).Trim() : "";
            SummaryRowProblem Problem(string field, string reason) => new(path, line, field, reason);

            if (!int.TryParse(Text(frequency), NumberStyles.None, CultureInfo.InvariantCulture, out var x))
            {
                yield return Problem("frequency", $"'{Text(frequency)}' is not a whole number ≥ 0");
            }
            else if (!TryNumber(Text(recency), out var tx)) yield return Problem("recency", $"'{Text(recency)}' is not a number");
            else if (!TryNumber(Text(age), out var t)) yield return Problem("T", $"'{Text(age)}' is not a number");
            else if (new RfmSummary(x, tx, t) is var summary && summary.Problem() is { } wrong) yield return Problem(wrong.Field, wrong.Reason);
            else if (monetary is { } m && x > 0 && !(TryNumber(Text(m), out var value) && value > 0))
            {
                yield return Problem("monetary_value", $"'{Text(m)}' is not an amount > 0 (the mean value of the repeat purchases)");
            }
            else
            {
                var mean = monetary is { } column && x > 0 ? double.Parse(Text(column), CultureInfo.InvariantCulture) : (double?)null;
                yield return new SummaryRow(line, Text(id), summary, mean);
            }
        }

        while (malformed.TryDequeue(out var problem)) yield return problem;
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}

public sealed class SummaryFileException(string message) : Exception(message);
