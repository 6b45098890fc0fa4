using Automation.Personalization.Links;
using Automation.Messages;
using Automation.Settings;
using Automation.Personalization.Templates;
using Automation.Planning.Policies;
using Automation.Planning.Triggers;
using Automation.Profiles.Model;

namespace Automation.Personalization;

/// <summary>A message ready to hand to a sender.</summary>
/// <param name="TemplateData">What the templates saw; a provider-side template gets the same values.</param>
public sealed record RenderedMessage(
    MessageId MessageId,
    string CustomerId,
    string Trigger,
    string ToAddress,
    string? ToName,
    string Locale,
    string Subject,
    string Html,
    string Text,
    string UnsubscribeUrl,
    IReadOnlyDictionary<string, object> TemplateData);

/// <summary>Renders a trigger's message for a customer, or says what data is missing.</summary>
/// <remarks>Ingesting and looking need neither sender nor links; rendering needs both, so the links are resolved with the renderer.</remarks>
public sealed class MessageRenderer(Lazy<TemplateCatalog> catalog, PreferenceLinks links) : IPersonalizationCheck
{
    public TemplateCatalog Catalog => catalog.Value;

    /// <summary>
    /// Renders all three parts; throws <see cref="MissingTemplateDataException"/> when a value without
    /// fallback is missing, and <see cref="MissingUnsubscribeLinkException"/> when the rendered HTML or
    /// text lost the unsubscribe link.
    /// </summary>
    public RenderedMessage Render(CustomerProfile profile, TriggerCandidate candidate, MessageId messageId)
    {
        var template = catalog.Value.Resolve(candidate.Trigger, profile.Locale);
        var unsubscribe = links.UrlFor(messageId);
        var model = Model(profile, candidate, template, unsubscribe);
        using var _ = TemplateHelpers.UseCulture(template.Culture);
        var (html, text) = (template.Html(model), template.Text(model));
        if (UnsubscribeLink.Problem(html, text, unsubscribe) is { } problem)
        {
            throw new MissingUnsubscribeLinkException($"The {candidate.Trigger}/{template.Locale} template: {problem}.");
        }

        return new RenderedMessage(
            messageId,
            profile.CustomerId,
            candidate.Trigger,
            profile.Email ?? throw new InvalidOperationException($"Customer {profile.CustomerId} has no email address."),
            string.Join(' ', new[] { profile.FirstName, profile.LastName }.Where(n => !string.IsNullOrWhiteSpace(n))) is { Length: > 0 } name ? name : null,
            template.Locale,
            OneLine(template.Subject(model)),
            html,
            text,
            unsubscribe,
            model);
    }

    public string? FindMissingData(CustomerProfile profile, TriggerCandidate candidate, MessageId messageId)
    {
        try
        {
            Render(profile, candidate, messageId);
            return null;
        }
        catch (MissingTemplateDataException ex)
        {
            var template = catalog.Value.Resolve(candidate.Trigger, profile.Locale);
            return $"{ex.Name} is missing and the {candidate.Trigger}/{template.Locale} template declares no fallback for it";
        }
        catch (MissingUnsubscribeLinkException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>
    /// What templates see: the profile's fields and the trigger's values, snake_case as in SendGrid
    /// examples. Missing values are absent, not empty, so a template cannot print "Hi ," by accident.
    /// </summary>
    private static Dictionary<string, object> Model(CustomerProfile profile, TriggerCandidate candidate, MessageTemplate template, string unsubscribe)
    {
        var model = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["trigger"] = candidate.Trigger,
            ["locale"] = template.Locale,
            ["unsubscribe_url"] = unsubscribe,
        };
        Add(model, "first_name", profile.FirstName);
        Add(model, "last_name", profile.LastName);
        Add(model, "city", profile.City);
        Add(model, "country", profile.Country);
        foreach (var (key, value) in candidate.Data) model[key] = value;
        return model;
    }

    private static void Add(Dictionary<string, object> model, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value)) model[key] = value;
    }

    /// <summary>A subject is one header line: template line breaks become spaces.</summary>
    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
