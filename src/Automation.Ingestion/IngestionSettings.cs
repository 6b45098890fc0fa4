using Automation.Ingestion.Formats;
using Automation.Settings;
using Microsoft.Extensions.Configuration;
using NodaTime;
using NodaTime.Text;

namespace Automation.Ingestion;

/// <summary>Settings under <c>Automation:Ingestion</c>.</summary>
public sealed record IngestionSettings
{
    public const string Section = "Automation:Ingestion";

    /// <summary>
    /// Rows handed to the store at a time; the reader works one batch ahead of the store. Small batches
    /// die young, so the garbage collector never promotes them: peak memory is lowest around 500 with
    /// no loss of speed (the sweep is in docs/benchmarks.md).
    /// </summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>
    /// Rows between commits of the store. A crash loses at most this many rows of work, which the next
    /// run redoes without duplicates; each commit writes back every profile touched since the last.
    /// </summary>
    public int CommitEveryRows { get; init; } = 1_000_000;

    /// <summary>A transaction line whose absolute amount exceeds this is rejected as implausible.</summary>
    public decimal MaxTransactionAmount { get; init; } = 1_000_000m;

    /// <summary>A birth date implying an older age is dropped.</summary>
    public int MaxAgeYears { get; init; } = 120;

    /// <summary>How far in the future a timestamp may lie (clock skew between systems) before it is rejected.</summary>
    public int FutureToleranceHours { get; init; } = 24;

    /// <summary>
    /// The encoding of exports without a byte order mark: any name .NET knows, code pages included
    /// (utf-8, windows-1251, windows-1252, gb18030, shift_jis…). Decoding is strict either way.
    /// </summary>
    public string Encoding { get; init; } = "utf-8";

    /// <summary>File-name patterns (<c>*</c>, <c>?</c>, case-insensitive) and the encoding of the exports they match, before <see cref="Encoding"/>.</summary>
    public IReadOnlyDictionary<string, string> Encodings { get; init; } = new Dictionary<string, string>();

    /// <summary>Birth dates that systems use for "unknown": dropped with a warning, the rest of the row kept.</summary>
    public IReadOnlySet<LocalDate> PlaceholderBirthDates { get; init; } =
        new HashSet<LocalDate> { new(1900, 1, 1), new(1901, 1, 1), new(1899, 12, 31) };

    /// <exception cref="SettingsValidationException">A setting is wrong; one sentence names each.</exception>
    public static IngestionSettings Read(IConfiguration configuration)
    {
        var reader = new SettingsReader(configuration);
        var defaults = new IngestionSettings();
        var settings = new IngestionSettings
        {
            BatchSize = reader.WholeNumber(Section + ":BatchSize", defaults.BatchSize, 1, 1_000_000, "rows"),
            CommitEveryRows = reader.WholeNumber(Section + ":CommitEveryRows", defaults.CommitEveryRows, 1, int.MaxValue, "rows"),
            MaxTransactionAmount = reader.Amount(Section + ":MaxTransactionAmount", defaults.MaxTransactionAmount, 0.01m, "an amount"),
            MaxAgeYears = reader.WholeNumber(Section + ":MaxAgeYears", defaults.MaxAgeYears, 1, 150, "years"),
            FutureToleranceHours = reader.WholeNumber(Section + ":FutureToleranceHours", defaults.FutureToleranceHours, 0, 168, "hours"),
            Encoding = reader.Text(Section + ":Encoding", defaults.Encoding),
            Encodings = reader.TextMap(Section + ":Encodings"),
            PlaceholderBirthDates = Dates(reader, Section + ":PlaceholderBirthDates", defaults.PlaceholderBirthDates),
        };
        if (ExportEncodings.Strict(settings.Encoding) is null) reader.Error(ExportEncodings.Unknown(Section + ":Encoding", settings.Encoding));
        foreach (var (pattern, name) in settings.Encodings)
        {
            if (ExportEncodings.Strict(name) is null) reader.Error(ExportEncodings.Unknown($"{Section}:Encodings:{pattern}", name));
        }

        reader.RejectUnknownKeys(Section);
        reader.ThrowIfInvalid();
        return settings;
    }

    private static HashSet<LocalDate> Dates(SettingsReader reader, string key, IReadOnlySet<LocalDate> defaultValue)
    {
        var dates = new HashSet<LocalDate>();
        var texts = reader.List(key, []);
        if (texts.Count == 0) return defaultValue.ToHashSet();
        foreach (var text in texts)
        {
            var parsed = LocalDatePattern.Iso.Parse(text);
            if (parsed.Success) dates.Add(parsed.Value);
            else reader.Error($"{key} must hold dates in the form YYYY-MM-DD, got '{text}'.");
        }

        return dates;
    }
}
