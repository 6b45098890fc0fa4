using System.Globalization;
using Automation.Messages;
using Automation.MarketerConsole.Text;
using Automation.Planning.Days;
using Automation.Personalization;
using Automation.Planning.Triggers;
using Automation.Profiles.Model;
using Automation.Profiles.Serialization;
using NodaTime;

namespace Automation.MarketerConsole;

/// <summary>One trigger's template rendered in one locale for the Templates page, with what a marketer should fix.</summary>
/// <param name="Locale">The locale asked for (a customer's).</param>
/// <param name="Message">The rendered message; null when it cannot be rendered.</param>
/// <param name="Warnings">Sentences: a locale without its own template, a value the template lacks, a lost unsubscribe link, a field most customers lack.</param>
public sealed record TemplateShowing(string Trigger, string Locale, RenderedMessage? Message, IReadOnlyList<string> Warnings);

/// <summary>
/// Every enabled trigger's template in every locale that matters (those the templates have, and those of
/// the customers a recorded plan counted), rendered with the trigger's example values for a chosen
/// customer, or for a made-up one. Pure but for the renderer: nothing is read here.
/// </summary>
public static class TemplateShowcase
{
    /// <param name="plan">The recorded plan of <paramref name="date"/>: the locales of its customers, and the template fields most of them lack.</param>
    public static IReadOnlyList<TemplateShowing> Render(
        IEnumerable<ITrigger> triggers, MessageRenderer renderer, PlanRecord? plan, CustomerProfile? customer, LocalDate date, ConsoleText? text = null)
    {
        text ??= ConsoleText.English;
        var catalog = renderer.Catalog;
        var customerLocales = plan?.Counts.Select(c => c.Locale).Where(l => l != PlanRecord.UnknownLocale) ?? [];
        var locales = catalog.Templates.Select(t => t.Locale).Concat(customerLocales)
            .Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        var showings = new List<TemplateShowing>();
        foreach (var trigger in triggers)
        {
            var candidate = trigger.Example(date);
            foreach (var locale in locales)
            {
                var warnings = new List<string>();
                var template = catalog.Resolve(trigger.Name, locale);
                if (!SameLanguage(template.Locale, locale))
                {
                    warnings.Add(text.Format("No {0} template for {1}: customers with this locale get the {2} one.", locale, trigger.Name, template.Locale));
                }

                var (message, problem) = MessagePreview.TryRender(renderer, ProfileIn(customer, locale), candidate, MessagePreview.ExampleMessage);
                if (problem is not null) warnings.Add(problem);
                if (plan is not null) warnings.AddRange(MostlyEmpty(renderer, plan, trigger.Name, candidate, locale, date, text));

                showings.Add(new TemplateShowing(trigger.Name, locale, message, warnings));
            }
        }

        return showings;
    }

    /// <summary>
    /// A warning for each profile field the template prints that most customers the plan mails with the
    /// trigger lack: what most of them read is the template without it.
    /// </summary>
    private static IEnumerable<string> MostlyEmpty(MessageRenderer renderer, PlanRecord plan, string trigger, TriggerCandidate candidate, string locale, LocalDate date, ConsoleText text)
    {
        var mailed = plan.Mailed(trigger);
        var mostlyEmpty = ProfileGapFields.All.Select(gap => (gap.Gap, gap.Field, Lacking: plan.Lacking(trigger, gap.Field))).Where(gap => gap.Lacking * 2 > mailed).ToList();
        if (mostlyEmpty.Count == 0) yield break;
        // Whether the template prints a field: its output changes for a customer without it.
        var (full, _) = MessagePreview.TryRender(renderer, MadeUp(locale), candidate, MessagePreview.ExampleMessage);
        foreach (var (gap, field, lacking) in mostlyEmpty)
        {
            var (without, _) = MessagePreview.TryRender(renderer, MadeUp(locale, gap), candidate, MessagePreview.ExampleMessage);
            if (full is not null && without is not null && full.Subject == without.Subject && full.Html == without.Html && full.Text == without.Text) continue;
            yield return text.Format("{0} is empty for {1:N0} of the {2:N0} customers the plan of {3} mails with {4} ({5:0}%): most of them read this message without it.",
                field, lacking, mailed, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), trigger, 100.0 * lacking / mailed);
        }
    }

    /// <summary>A made-up customer with every profile field templates get, or without the one of <paramref name="without"/>.</summary>
    private static CustomerProfile MadeUp(string locale, ProfileGaps without = ProfileGaps.None) => new("C-EXAMPLE")
    {
        Email = "alex@example.com", Locale = locale,
        FirstName = without == ProfileGaps.FirstName ? null : "Alex", LastName = without == ProfileGaps.LastName ? null : "Example",
        City = without == ProfileGaps.City ? null : "Springfield", Country = without == ProfileGaps.Country ? null : "US",
    };

    /// <summary>"it" serves "it-IT"; "en" does not serve "es-ES".</summary>
    private static bool SameLanguage(string template, string wanted) =>
        string.Equals(template, wanted, StringComparison.OrdinalIgnoreCase)
        || wanted.StartsWith(template + "-", StringComparison.OrdinalIgnoreCase);

    /// <summary>The chosen customer as if their locale were <paramref name="locale"/> (a copy), or a made-up customer.</summary>
    private static CustomerProfile ProfileIn(CustomerProfile? customer, string locale)
    {
        if (customer is null) return MadeUp(locale);
        var profile = ProfileBinary.Decode(ProfileBinary.Encode(customer));
        profile.Locale = locale;
        // A preview of a customer without an address still shows the words; it goes nowhere.
        profile.Email ??= "no-address@example.com";
        return profile;
    }
}
