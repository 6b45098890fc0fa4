using System.Text;
using System.Text.Json;

namespace Automation.Ingestion.Formats;

/// <summary>JSON Lines: one JSON object per line; keys follow the same aliases as CSV headers.</summary>
internal sealed class JsonLinesExportRowReader : IExportRowReader
{
    private readonly StreamReader _reader;
    private readonly ExportSchema _schema;
    private readonly MalformedRows _malformed = new();
    private string? _pending;
    private long _pendingLine;
    private long _lineNumber;
    private string _currentText = string.Empty;

    private JsonLinesExportRowReader(StreamReader reader, ExportSchema schema, string format)
    {
        _reader = reader;
        _schema = schema;
        Format = format;
        Current = new ExportRow(schema);
    }

    public ExportKind Kind => _schema.Kind;
    public string Format { get; }
    public ExportRow Current { get; }

    public static async Task<JsonLinesExportRowReader> OpenAsync(Stream stream, string fileName, string format, CancellationToken cancellationToken)
    {
        var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        try
        {
            // The first object names the columns when the file name does not say which kind this is.
            long line = 0;
            string? first;
            do
            {
                first = await reader.ReadLineAsync(cancellationToken);
                line++;
            }
            while (first is not null && string.IsNullOrWhiteSpace(first));

            if (first is null) throw new ExportFormatException("The file is empty.");
            var kind = ExportSchema.Recognise(fileName, KeysOf(first));

            return new JsonLinesExportRowReader(reader, ExportSchema.For(kind), format)
            {
                _pending = first,
                _pendingLine = line,
                _lineNumber = line,
            };
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            string? text;
            long line;
            if (_pending is not null)
            {
                (text, line, _pending) = (_pending, _pendingLine, null);
            }
            else
            {
                text = await _reader.ReadLineAsync(cancellationToken);
                line = ++_lineNumber;
            }

            if (text is null) return false;
            if (string.IsNullOrWhiteSpace(text)) continue;
            if (Fill(text, line)) return true;
        }
    }

    public IReadOnlyList<MalformedRow> TakeMalformed() => _malformed.TakeAll();

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        return ValueTask.CompletedTask;
    }

    private bool Fill(string text, long line)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                _malformed.Add(new MalformedRow(line, "the line is not a JSON object", text));
                return false;
            }

            _currentText = text;
            var row = Current;
            row.Reset(line, () => _currentText);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var value = ExportRow.Clean(property.Value.ValueKind switch
                {
                    JsonValueKind.String => property.Value.GetString(),
                    JsonValueKind.Null or JsonValueKind.Undefined => null,
                    _ => property.Value.GetRawText(),
                });
                if (value is null) continue;
                var canonical = _schema.Resolve(property.Name);
                if (canonical >= 0) row.Values[canonical] = value;
                else row.Extra.Add(new(property.Name, value));
            }

            return true;
        }
        catch (JsonException)
        {
            _malformed.Add(new MalformedRow(line, "the line is not valid JSON", text));
            return false;
        }
    }

    private static string[] KeysOf(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.EnumerateObject().Select(p => p.Name).ToArray()
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
