using System.ComponentModel.DataAnnotations;
using NodaTime;
using NodaTime.Text;

namespace Automation.Ingestion;

/// <summary>Settings under <c>Automation:Ingestion</c>.</summary>
public sealed class IngestionOptions : IValidatableObject
{
    public const string Section = "Automation:Ingestion";

    /// <summary>
    /// Rows handed to the store at a time; the reader works one batch ahead of the store. Small batches
    /// die young, so the garbage collector never promotes them: peak memory is lowest around 500 with
    /// no loss of speed (the sweep is in docs/benchmarks.md).
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = Section + ":BatchSize must be a whole number from {1} to {2}.")]
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// Rows between commits of the store. A crash loses at most this many rows of work, which the next
    /// run redoes without duplicates; each commit writes back every profile touched since the last.
    /// </summary>
    [Range(1, int.MaxValue, ErrorMessage = Section + ":CommitEveryRows must be a positive whole number of rows.")]
    public int CommitEveryRows { get; set; } = 1_000_000;

    /// <summary>A transaction line whose absolute amount exceeds this is rejected as implausible.</summary>
    [Range(typeof(decimal), "0.01", "79228162514264337593543950335", ErrorMessage = Section + ":MaxTransactionAmount must be a positive amount.")]
    public decimal MaxTransactionAmount { get; set; } = 1_000_000m;

    /// <summary>A birth date implying an older age is rejected.</summary>
    [Range(1, 150, ErrorMessage = Section + ":MaxAgeYears must be a whole number of years from {1} to {2}.")]
    public int MaxAgeYears { get; set; } = 120;

    /// <summary>How far in the future a timestamp may lie (clock skew between systems) before it is rejected.</summary>
    [Range(0, 168, ErrorMessage = Section + ":FutureToleranceHours must be a whole number of hours from {1} to {2}.")]
    public int FutureToleranceHours { get; set; } = 24;

    /// <summary>
    /// The encoding of exports without a byte order mark: any name .NET knows, code pages included
    /// (utf-8, windows-1251, windows-1252, gb18030, shift_jis…). Decoding is strict either way.
    /// </summary>
    public string Encoding { get; set; } = "utf-8";

    /// <summary>File-name patterns (<c>*</c>, <c>?</c>, case-insensitive) and the encoding of the exports they match, before <see cref="Encoding"/>.</summary>
    public Dictionary<string, string> Encodings { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Birth dates that systems use for "unknown": dropped with a warning, the rest of the row kept.</summary>
    public List<string> PlaceholderBirthDates { get; set; } = ["1900-01-01", "1901-01-01", "1899-12-31"];

    internal IReadOnlySet<LocalDate> ParsedPlaceholderBirthDates =>
        PlaceholderBirthDates.Select(d => LocalDatePattern.Iso.Parse(d)).Where(r => r.Success).Select(r => r.Value).ToHashSet();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Formats.ExportEncodings.Strict(Encoding) is null)
        {
            yield return new ValidationResult(Formats.ExportEncodings.Unknown(Section + ":Encoding", Encoding), [nameof(Encoding)]);
        }

        foreach (var (pattern, name) in Encodings)
        {
            if (Formats.ExportEncodings.Strict(name) is null)
            {
                yield return new ValidationResult(Formats.ExportEncodings.Unknown($"{Section}:Encodings:{pattern}", name), [nameof(Encodings)]);
            }
        }

        foreach (var date in PlaceholderBirthDates)
        {
            if (!LocalDatePattern.Iso.Parse(date).Success)
            {
                yield return new ValidationResult(
                    $"{Section}:PlaceholderBirthDates must hold dates in the form YYYY-MM-DD, got '{date}'.",
                    [nameof(PlaceholderBirthDates)]);
            }
        }
    }
}
