using System.Globalization;
using Automation.Planning.Context;
using Automation.Planning.Settings;
using Automation.Profiles.Model;
using NodaTime;
using NodaTime.Text;

namespace Automation.Planning.Triggers;

/// <summary>
/// Fires on the customer's birthday (or <see cref="BirthdaySettings.DaysBefore"/> days ahead of it) on
/// the customer's own calendar day. Once a year: the occasion is the year of the birthday.
/// </summary>
public sealed class BirthdayTrigger(BirthdaySettings settings) : ITrigger
{
    public const string TriggerName = "birthday";

    private static readonly LocalDatePattern DayAndMonth = LocalDatePattern.Create("d MMMM", CultureInfo.InvariantCulture);

    public string Name => TriggerName;
    public TriggerSettings Settings => settings.Trigger;
    public bool HealthRelated => false;

    public TriggerCandidate? Evaluate(CustomerProfile profile, DayContext context, LocalDate date)
    {
        if (profile.BirthDate is not { } born) return null;
        var celebrated = date.PlusDays(settings.DaysBefore);
        if (born.Year >= celebrated.Year || Observed(born, celebrated.Year) != celebrated) return null;

        var age = celebrated.Year - born.Year;
        var data = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["birthday_date"] = LocalDatePattern.Iso.Format(celebrated),
            ["days_before"] = settings.DaysBefore.ToString(CultureInfo.InvariantCulture),
        };
        // A birthday mail that names the wrong age embarrasses; an implausible one is left out entirely.
        if (age >= settings.MinPlausibleAge && age <= settings.MaxPlausibleAge) data["age"] = age.ToString(CultureInfo.InvariantCulture);

        var when = settings.DaysBefore == 0 ? "today" : $"in {settings.DaysBefore} days, on {LocalDatePattern.Iso.Format(celebrated)}";
        var leap = born is { Month: 2, Day: 29 } && !CalendarSystem.Iso.IsLeapYear(celebrated.Year)
            ? $" (born on 29 February; celebrated on {DayAndMonth.Format(celebrated)} in {celebrated.Year})"
            : "";
        return new TriggerCandidate(Name, celebrated.Year.ToString(CultureInfo.InvariantCulture), $"birthday {when}{leap}", data);
    }

    public TriggerCandidate Example(LocalDate date)
    {
        var celebrated = date.PlusDays(settings.DaysBefore);
        return new TriggerCandidate(Name, "example", $"birthday on {LocalDatePattern.Iso.Format(celebrated)} (an example)", new Dictionary<string, string>
        {
            ["birthday_date"] = LocalDatePattern.Iso.Format(celebrated),
            ["days_before"] = settings.DaysBefore.ToString(CultureInfo.InvariantCulture),
            ["age"] = "35",
        });
    }

    public string ExplainSilence(CustomerProfile profile, DayContext context, LocalDate date)
    {
        if (profile.BirthDate is not { } born) return "no birth date on record";
        var next = Observed(born, date.Year) >= date.PlusDays(settings.DaysBefore) ? Observed(born, date.Year) : Observed(born, date.Year + 1);
        return $"next birthday on {LocalDatePattern.Iso.Format(next)}";
    }

    /// <summary>The day a birthday is celebrated in <paramref name="year"/>: Feb 29 moves to Feb 28 or Mar 1 in common years.</summary>
    public LocalDate Observed(LocalDate born, int year)
    {
        if (born is { Month: 2, Day: 29 } && !CalendarSystem.Iso.IsLeapYear(year))
        {
            return settings.LeapDayRule == LeapDayRule.March1 ? new LocalDate(year, 3, 1) : new LocalDate(year, 2, 28);
        }

        return new LocalDate(year, born.Month, born.Day);
    }
}
