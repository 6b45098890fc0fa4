using System.CommandLine;
using Automation.Hosting;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;

namespace Automation.Cli;

internal static class PlanningDay
{
    /// <summary>The --date value, or today in the default time zone.</summary>
    public static LocalDate From(ParseResult parse, Option<string?> option, IServiceProvider services)
    {
        if (parse.GetValue(option) is { } text)
        {
            var parsed = LocalDatePattern.Iso.Parse(text);
            if (!parsed.Success) throw new SettingsException($"--date must be a date as YYYY-MM-DD, got '{text}'.");
            return parsed.Value;
        }

        return services.GetRequiredService<PipelineJobs>().Today();
    }
}
