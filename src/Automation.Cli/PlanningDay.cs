using System.CommandLine;
using Automation.Hosting;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;

namespace Automation.Cli;

internal static class PlanningDay
{
    /// <summary>The --date value, or the day ahead: the day the next plan plans (tomorrow in UTC, docs/planning.md).</summary>
    public static LocalDate From(ParseResult parse, Option<string?> option, IServiceProvider services) =>
        Given(parse, option) ?? services.GetRequiredService<PipelineJobs>().Ahead();

    /// <summary>The days to plan: the --date value, or the days owed now (the day ahead, and a missed day whose send window is still open somewhere).</summary>
    public static async Task<IReadOnlyList<LocalDate>> DaysAsync(ParseResult parse, Option<string?> option, IServiceProvider services, CancellationToken cancellationToken) =>
        Given(parse, option) is { } day ? [day] : await services.GetRequiredService<PipelineJobs>().OwedDaysAsync(cancellationToken);

    /// <summary>The date an option gives, or null when it is not given.</summary>
    public static LocalDate? Given(ParseResult parse, Option<string?> option)
    {
        if (parse.GetValue(option) is not { } text) return null;
        var parsed = LocalDatePattern.Iso.Parse(text);
        if (!parsed.Success) throw new SettingsException($"{option.Name} must be a date as YYYY-MM-DD, got '{text}'.");
        return parsed.Value;
    }
}
