using System.Globalization;
using HandlebarsDotNet;

namespace Automation.Personalization.Templates;

/// <summary>One trigger's template in one locale: subject, HTML and plain-text parts, compiled.</summary>
public sealed class MessageTemplate(string trigger, string locale, string folder,
    HandlebarsTemplate<object, object> subject, HandlebarsTemplate<object, object> html, HandlebarsTemplate<object, object> text)
{
    public string Trigger { get; } = trigger;
    public string Locale { get; } = locale;
    public string Folder { get; } = folder;
    public CultureInfo Culture { get; } = CultureInfo.GetCultureInfo(locale);
    internal HandlebarsTemplate<object, object> Subject { get; } = subject;
    internal HandlebarsTemplate<object, object> Html { get; } = html;
    internal HandlebarsTemplate<object, object> Text { get; } = text;
}

/// <summary>
/// Templates loaded from <c>&lt;TemplatesDirectory&gt;/&lt;trigger&gt;/&lt;locale&gt;/{subject.hbs, html.hbs, text.hbs}</c>.
/// Values are HTML-escaped in the HTML part only. Loading fails with a sentence naming the file when a
/// part is missing or does not compile, or when a part lacks the unsubscribe link.
/// </summary>
public sealed class TemplateCatalog
{
    public static readonly IReadOnlyList<string> Parts = ["subject.hbs", "html.hbs", "text.hbs"];
    private readonly Dictionary<(string Trigger, string Locale), MessageTemplate> _templates = new();
    private readonly string _defaultLocale;

    private TemplateCatalog(string defaultLocale) => _defaultLocale = defaultLocale;

    public static TemplateCatalog Load(string directory, string defaultLocale, IEnumerable<string> triggers)
    {
        if (!Directory.Exists(directory))
        {
            throw new TemplateException($"{PersonalizationSettings.Section}:TemplatesDirectory: the folder {Path.GetFullPath(directory)} does not exist.");
        }

        var html = Handlebars.Create(new HandlebarsConfiguration());
        var plain = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true });
        TemplateHelpers.Register(html);
        TemplateHelpers.Register(plain);

        var catalog = new TemplateCatalog(defaultLocale);
        foreach (var trigger in triggers)
        {
            var triggerFolder = Path.Combine(directory, trigger);
            var locales = Directory.Exists(triggerFolder) ? Directory.GetDirectories(triggerFolder) : [];
            foreach (var localeFolder in locales.Order(StringComparer.Ordinal))
            {
                var locale = Path.GetFileName(localeFolder);
                var template = new MessageTemplate(trigger, locale, localeFolder,
                    Compile(plain, localeFolder, "subject.hbs", requiresUnsubscribe: false),
                    Compile(html, localeFolder, "html.hbs", requiresUnsubscribe: true),
                    Compile(plain, localeFolder, "text.hbs", requiresUnsubscribe: true));
                Probe(template);
                catalog._templates[(trigger, locale.ToLowerInvariant())] = template;
            }

            if (!catalog._templates.ContainsKey((trigger, defaultLocale.ToLowerInvariant())))
            {
                throw new TemplateException(
                    $"The trigger {trigger} is enabled but has no template in the default locale: expected {Path.Combine(triggerFolder, defaultLocale)}{Path.DirectorySeparatorChar} with {string.Join(", ", Parts)}.");
            }
        }

        return catalog;
    }

    /// <summary>Every template, by trigger and then locale.</summary>
    public IReadOnlyList<MessageTemplate> Templates =>
        [.. _templates.Values.OrderBy(t => t.Trigger, StringComparer.Ordinal).ThenBy(t => t.Locale, StringComparer.Ordinal)];

    public string DefaultLocale => _defaultLocale;

    /// <summary>The template for the customer's locale: <c>ru-RU</c>, then <c>ru</c>, then the default locale.</summary>
    public MessageTemplate Resolve(string trigger, string? locale)
    {
        if (locale is { Length: > 0 })
        {
            var tag = locale.ToLowerInvariant();
            if (_templates.TryGetValue((trigger, tag), out var exact)) return exact;
            var dash = tag.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && _templates.TryGetValue((trigger, tag[..dash]), out var language)) return language;
        }

        return _templates.TryGetValue((trigger, _defaultLocale.ToLowerInvariant()), out var fallback)
            ? fallback
            : throw new TemplateException($"No template for the trigger {trigger}.");
    }

    private const string ProbeUnsubscribeUrl = "https://unsubscribe.example/probe/m00000000000000000000000000000000";

    /// <summary>
    /// Renders the template for a customer with nothing but the required values: a link inside a
    /// comment or a condition such a customer does not meet is lost here, and the template refused.
    /// A template that needs more data to render at all is checked on every real message instead.
    /// </summary>
    private static void Probe(MessageTemplate template)
    {
        var model = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["trigger"] = template.Trigger,
            ["locale"] = template.Locale,
            ["unsubscribe_url"] = ProbeUnsubscribeUrl,
        };
        string? problem;
        using (TemplateHelpers.UseCulture(template.Culture))
        {
            try
            {
                problem = UnsubscribeLink.Problem(template.Html(model), template.Text(model), ProbeUnsubscribeUrl);
            }
            catch (MissingTemplateDataException)
            {
                return;
            }
        }

        if (problem is not null) throw new TemplateException($"The template in {template.Folder} is refused: rendered for a probe customer, {problem}.");
    }

    private static HandlebarsTemplate<object, object> Compile(IHandlebars handlebars, string folder, string part, bool requiresUnsubscribe)
    {
        var path = Path.Combine(folder, part);
        if (!File.Exists(path)) throw new TemplateException($"The template part {path} is missing; each locale folder needs {string.Join(", ", Parts)}.");
        var source = File.ReadAllText(path);
        if (requiresUnsubscribe && !source.Contains("unsubscribe_url", StringComparison.Ordinal))
        {
            throw new TemplateException($"The template {path} has no unsubscribe link: it must use {{{{unsubscribe_url}}}}.");
        }

        try
        {
            return handlebars.Compile(source);
        }
        catch (HandlebarsException ex)
        {
            throw new TemplateException($"The template {path} does not compile: {ex.Message}");
        }
    }
}

public sealed class TemplateException(string message) : Exception(message);
