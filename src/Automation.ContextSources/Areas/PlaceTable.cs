using System.Globalization;
using CsvHelper;
using Automation.Profiles.Model;

namespace Automation.ContextSources.Areas;

/// <summary>
/// Coordinates of postal codes and cities, for customers whose export gives an address but no
/// coordinates. Read from a CSV file with the header <c>country,postal_code,city,latitude,longitude</c>
/// (a row names a postal code, a city, or both); a postal code is the sharper match, so it wins.
/// </summary>
public sealed class PlaceTable
{
    private const int MaxProblemsShown = 20;
    private static readonly string[] RequiredColumns = ["country", "latitude", "longitude"];
    private readonly Dictionary<(string Country, string PostalCode), GeoPoint> _byPostalCode = [];
    private readonly Dictionary<(string Country, string City), GeoPoint> _byCity = [];

    public static PlaceTable Empty { get; } = new();

    public int Count => _byPostalCode.Count + _byCity.Count;

    public GeoPoint? Find(string country, string? postalCode, string? city)
    {
        if (postalCode is not null && _byPostalCode.TryGetValue((country, NormalizePostalCode(postalCode)), out var byCode)) return byCode;
        if (city is not null && _byCity.TryGetValue((country, NormalizeCity(city)), out var byCity)) return byCity;
        return null;
    }

    /// <summary>Reads the file; any wrong row stops with a list naming file, line, field and reason.</summary>
    public static PlaceTable Load(string path)
    {
        if (!File.Exists(path)) throw new PlaceTableException($"The places file {path} does not exist.");
        var table = new PlaceTable();
        var problems = new List<string>();
        var options = CsvReaderOptions.Default with
        {
            TrackLineNumbers = true,
            IncludeValuesInExceptions = false,
            MalformedData = CsvMalformedDataHandling.Skip,
            FieldCountMismatch = CsvFieldCountHandling.Skip,
            OnMalformedRecord = m => problems.Add($"{path} line {m.LineNumber}: not valid CSV ({m.Reason})"),
        };
        using var csv = CsvReader.Create(File.OpenRead(path), options, leaveOpen: false);
        csv.ReadHeader();
        var columns = csv.Headers.Select((name, index) => (Name: name.Trim().ToLowerInvariant(), index)).ToDictionary(c => c.Name, c => c.index);
        var missing = RequiredColumns.Where(name => !columns.ContainsKey(name)).ToList();
        if (missing.Count > 0)
        {
            throw new PlaceTableException($"The places file {path} has no column {string.Join(", ", missing)}; its header must be country,postal_code,city,latitude,longitude.");
        }

        string? Field(string name) => columns.TryGetValue(name, out var i) && i < csv.FieldCount && !csv.IsEmpty(i) && csv.GetString(i).Trim() is { Length: > 0 } value ? value : null;
        while (csv.Read())
        {
            var line = csv.LineNumber;
            void Problem(string field, string reason) => problems.Add($"{path} line {line}, {field}: {reason}");
            var country = Field("country")?.ToUpperInvariant();
            var postalCode = Field("postal_code");
            var city = Field("city");
            if (country is not { Length: 2 } || !country.All(char.IsAsciiLetterUpper)) Problem("country", $"'{country}' is not an ISO 3166 alpha-2 code");
            else if (postalCode is null && city is null) Problem("postal_code", "a row needs a postal code, a city or both");
            else if (!TryCoordinate(Field("latitude"), 90, out var latitude)) Problem("latitude", $"'{Field("latitude")}' is not a latitude between -90 and 90");
            else if (!TryCoordinate(Field("longitude"), 180, out var longitude)) Problem("longitude", $"'{Field("longitude")}' is not a longitude between -180 and 180");
            else
            {
                var point = new GeoPoint(latitude, longitude);
                if (postalCode is not null) table._byPostalCode[(country, NormalizePostalCode(postalCode))] = point;
                if (city is not null) table._byCity.TryAdd((country, NormalizeCity(city)), point);
            }
        }

        if (problems.Count > 0)
        {
            var shown = string.Join(Environment.NewLine, problems.Take(MaxProblemsShown));
            var more = problems.Count > MaxProblemsShown ? $"{Environment.NewLine}… and {problems.Count - MaxProblemsShown} more" : "";
            throw new PlaceTableException($"The places file {path} has {problems.Count} wrong row(s):{Environment.NewLine}{shown}{more}");
        }

        return table;
    }

    private static bool TryCoordinate(string? text, double limit, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && Math.Abs(value) <= limit;

    // "SW1A 1AA" and "sw1a1aa" are the same postal code; exports differ in spacing and case.
    private static string NormalizePostalCode(string code) => string.Concat(code.Where(c => !char.IsWhiteSpace(c) && c != '-')).ToUpperInvariant();

    private static string NormalizeCity(string city) => city.Trim().ToUpperInvariant();
}

public sealed class PlaceTableException(string message) : Exception(message);
