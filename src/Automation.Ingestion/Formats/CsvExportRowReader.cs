using System.Text;
using CsvHelper;

namespace Automation.Ingestion.Formats;

/// <summary>RFC 4180 CSV (comma, semicolon, tab or pipe detected; CRLF or LF; UTF-8 with or without BOM).</summary>
internal sealed class CsvExportRowReader : IExportRowReader
{
    private readonly CsvReader _reader;
    private readonly int[] _canonicalByColumn;
    private readonly string[] _headers;
    private readonly MalformedRows _malformed;
    private readonly Func<string> _rawText;

    private CsvExportRowReader(CsvReader reader, ExportSchema schema, string format, MalformedRows malformed)
    {
        _reader = reader;
        _malformed = malformed;
        _headers = reader.Headers.ToArray();
        _canonicalByColumn = _headers.Select(schema.Resolve).ToArray();
        Kind = schema.Kind;
        Format = format;
        Current = new ExportRow(schema);
        _rawText = () => Encoding.UTF8.GetString(_reader.RawRecord);
    }

    public ExportKind Kind { get; }
    public string Format { get; }
    public ExportRow Current { get; }

    public static async Task<CsvExportRowReader> OpenAsync(Stream stream, string fileName, string format, CancellationToken cancellationToken)
    {
        var malformed = new MalformedRows();
        var options = CsvReaderOptions.Default with
        {
            TrackLineNumbers = true,
            AllowLineBreaksInQuotes = true,
            MalformedData = CsvMalformedDataHandling.Skip,
            FieldCountMismatch = CsvFieldCountHandling.Skip,
            IncludeValuesInExceptions = false,
            // Currencies, categories, channels, SKUs repeat on every row: one string each, not one per row.
            PoolStrings = true,
            // A line of only spaces or separators is as empty as an empty line: ignored, not malformed.
            OnMalformedRecord = m =>
            {
                if (!IsBlank(m.RawRecord)) malformed.Add(new MalformedRow(m.LineNumber, Describe(m.Reason), m.RawRecord));
            },
        };
        var reader = CsvReader.Create(stream, options, leaveOpen: false);
        try
        {
            await reader.ReadHeaderAsync(cancellationToken);
            var headers = reader.Headers;
            if (headers.Count == 0) throw new ExportFormatException("The file is empty: it has no header row.");

            var schema = ExportSchema.For(ExportSchema.Recognise(fileName, headers));
            var duplicate = headers.GroupBy(schema.Resolve).FirstOrDefault(g => g.Key >= 0 && g.Count() > 1);
            if (duplicate is not null)
            {
                throw new ExportFormatException(
                    $"The header names column {schema.Columns[duplicate.Key]} more than once ({string.Join(", ", duplicate)}).");
            }

            foreach (var required in schema.Required)
            {
                if (!headers.Any(h => schema.Resolve(h) == schema.IndexOf(required)))
                {
                    throw new ExportFormatException($"The header of this {schema.Kind.ToString().ToLowerInvariant()} export has no {required} column.");
                }
            }

            return new CsvExportRowReader(reader, schema, format, malformed);
        }
        catch
        {
            await reader.DisposeAsync();
            throw;
        }
    }

    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        var row = Current;
        while (await _reader.ReadAsync(cancellationToken))
        {
            row.Reset(_reader.LineNumber, _rawText);
            var count = Math.Min(_reader.FieldCount, _canonicalByColumn.Length);
            var any = false;
            for (var i = 0; i < count; i++)
            {
                if (_reader.IsEmpty(i)) continue;
                var value = ExportRow.Clean(_reader.GetString(i));
                if (value is null) continue;
                any = true;
                var canonical = _canonicalByColumn[i];
                if (canonical >= 0) row.Values[canonical] = value;
                else row.Extra.Add(new(_headers[i], value));
            }

            // Every cell empty (",,,,", or spaces between separators): an empty line, ignored.
            if (any) return true;
        }

        return false;
    }

    private static readonly System.Buffers.SearchValues<char> BlankLine = System.Buffers.SearchValues.Create(" \t\r\n,;|");

    private static bool IsBlank(string raw) => raw.AsSpan().IndexOfAnyExcept(BlankLine) < 0;

    public IReadOnlyList<MalformedRow> TakeMalformed() => _malformed.TakeAll();

    public ValueTask DisposeAsync() => _reader.DisposeAsync();

    private static string Describe(CsvMalformedReason reason) => reason switch
    {
        CsvMalformedReason.FieldCountMismatch => "the row has a different number of fields than the header",
        CsvMalformedReason.StrayQuote => "a quote character inside an unquoted field (quote the whole field and double the quote)",
        CsvMalformedReason.TextAfterClosingQuote => "text after the closing quote of a quoted field",
        CsvMalformedReason.UnterminatedQuote => "a quoted field is never closed",
        _ => "the row is not valid CSV: " + reason,
    };
}
