using System.Globalization;

namespace Automation.Cli;

internal static class CliFormat
{
    /// <summary>Counts with thousands separators, the same on every machine.</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
