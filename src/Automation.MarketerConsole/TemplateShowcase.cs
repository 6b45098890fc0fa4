using Automation.Messages;
using Automation.Personalization;
using Automation.Planning.Triggers;
using Automation.Profiles.Model;
using Automation.Profiles.Serialization;
using NodaTime;

namespace Automation.MarketerConsole;

/// <summary>One trigger's template rendered in one locale for the Templates page, with what a marketer should fix.</summary>
/// <param name="Locale">The locale asked for (a customer's).</param>
/// <param name="Message">The rendered message; null when it cannot be rendered.</param>
/// <param name="Warnings">Sentences: a locale without its own template, a value the template lacks, a lost unsubscribe link.</param>
public sealed record TemplateShowing(string Trigger, string Locale, RenderedMessage? Message, IReadOnlyList<string> Warnings);

/// <summary>
/// Every enabled trigger's template in every locale that matters (those the templates have, and those of
/// the customers a recorded plan counted), rendered with the trigger's example values for a chosen
/// customer, or for a made-up one. Pure but for the renderer: nothing is read here.
/// </summary>
public static class TemplateShowcase
{
    private static readonly MessageId ExampleMessage = new("m00000000000000000000000000000000");

    public static IReadOnlyList<TemplateShowing> Render(
        IEnumerable<ITrigger> triggers, MessageRenderer renderer, IEnumerable<string> customerLocales, CustomerProfile? customer, LocalDate date)
    {
        var catalog = renderer.Catalog;
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
                    warnings.Add($"No {locale} template for {trigger.Name}: customers with this locale get the {template.Locale} one.");
                }

                var (message, problem) = MessagePreview.TryRender(renderer, ProfileIn(customer, locale), candidate, ExampleMessage);
                if (problem is not null) warnings.Add(problem);

                showings.Add(new TemplateShowing(trigger.Name, locale, message, warnings));
            }
        }

        return showings;
    }

    /// <summary>"it" serves "it-IT"; "en" does not serve "es-ES".</summary>
    private static bool SameLanguage(string template, string wanted) =>
        string.Equals(template, wanted, StringComparison.OrdinalIgnoreCase)
        || wanted.StartsWith(template + "-", StringComparison.OrdinalIgnoreCase);

    /// <summary>The chosen customer as if their locale were <paramref name="locale"/> (a copy), or a made-up customer.</summary>
    private static CustomerProfile ProfileIn(CustomerProfile? customer, string locale)
    {
        var profile = customer is null
            ? new CustomerProfile("C-EXAMPLE") { FirstName = "Alex", LastName = "Example", Email = "alex@example.com" }
            : ProfileBinary.Decode(ProfileBinary.Encode(customer));
        profile.Locale = locale;
        // A preview of a customer without an address still shows the words; it goes nowhere.
        profile.Email ??= "no-address@example.com";
        return profile;
    }
}
