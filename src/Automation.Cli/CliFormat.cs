using System.Globalization;
using Automation.Profiles.Storage;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Automation.Cli;

internal static class CliFormat
{
    /// <summary>Counts with thousands separators, the same on every machine.</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>What a stage cost a metered store (Cosmos DB), per 1,000 of what it processed; nothing for the embedded store.</summary>
    public static void WriteUsage(IServiceProvider services, StoreUsage before, long processed, string what)
    {
        if (services.GetService<IStoreUsageMeter>() is not { } meter) return;
        var spent = meter.Current - before;
        var perThousand = processed > 0 ? (spent.RequestUnits * 1_000 / processed).ToString("N1", CultureInfo.InvariantCulture) : "-";
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"  [grey]Cosmos DB: {spent.RequestUnits:N1} RU ({perThousand} RU per 1,000 {what}), throttled {Count(spent.ThrottledRequests)} time(s), {spent.ThrottledWait.TotalSeconds:N1} s waiting[/]"));
    }

    public static StoreUsage Usage(IServiceProvider services) => services.GetService<IStoreUsageMeter>()?.Current ?? default;
}
