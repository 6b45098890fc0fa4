using System.Globalization;
using Automation.Storage.Cosmos;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Automation.Cli;

internal static class CliFormat
{
    /// <summary>Counts with thousands separators, the same on every machine.</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>What a stage cost a metered store (Cosmos DB), per 1,000 of what it processed; nothing for the embedded store.</summary>
    public static void WriteUsage(IServiceProvider services, CosmosUsage before, long processed, string what)
    {
        if (services.GetService<CosmosUsageMeter>() is not { } meter) return;
        var spent = meter.Current - before;
        var perThousand = processed > 0 ? (spent.RequestUnits * 1_000 / processed).ToString("N1", CultureInfo.InvariantCulture) : "-";
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"  [grey]Cosmos DB: {spent.RequestUnits:N1} RU ({perThousand} RU per 1,000 {what}), throttled {Count(spent.ThrottledRequests)} time(s), {spent.ThrottledWait.TotalSeconds:N1} s waiting[/]"));
    }

    public static CosmosUsage Usage(IServiceProvider services) => services.GetService<CosmosUsageMeter>()?.Current ?? default;

    /// <summary>Text from the data (names, reasons, templates) for Spectre markup: markup escaped, non-printables shown as \uXXXX.</summary>
    public static string Text(string? value) => Markup.Escape(Printable(value ?? string.Empty));

    /// <summary>
    /// <paramref name="value"/> with every character that would act on the terminal instead of showing
    /// (C0 and C1 controls such as ESC and BEL, and the bidirectional overrides that reorder a line)
    /// written as <c>\uXXXX</c>. With <paramref name="keepLineBreaks"/>, LF (and CR before it) stay, for
    /// multi-line text such as a rendered message.
    /// </summary>
    public static string Printable(string value, bool keepLineBreaks = false)
    {
        var builder = (System.Text.StringBuilder?)null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var lineBreak = keepLineBreaks && (c == '\n' || (c == '\r' && i + 1 < value.Length && value[i + 1] == '\n'));
            if (lineBreak || !(char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069'))
            {
                builder?.Append(c);
                continue;
            }

            builder ??= new System.Text.StringBuilder(value, 0, i, value.Length + 16);
            builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
        }

        return builder?.ToString() ?? value;
    }
}
