using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Automation.MarketerConsole.Text;

/// <summary>A link to the page being shown, in another of the console's languages.</summary>
public sealed record LanguageLink(string Language, string Name, string Url, bool Current);

/// <summary>
/// The console's words in the marketer's language: English, Russian, Chinese or Italian, the languages
/// the templates speak, with English for any other. The language is the one chosen on a page (kept in a
/// cookie), or else the browser's first of those four by preference. A sentence is looked up by its
/// English text (the translations are <c>Text/{language}.json</c>, built into the library); one without a
/// translation shows in English.
/// </summary>
public sealed class ConsoleText
{
    public const string LanguageQuery = "lang";
    public const string LanguageCookie = "automation_console_language";

    public static IReadOnlyList<(string Language, string Name)> Languages { get; } = [("en", "English"), ("ru", "Русский"), ("zh", "中文"), ("it", "Italiano")];

    private static readonly Lazy<FrozenDictionary<string, FrozenDictionary<string, string>>> Translations = new(Load);

    private readonly FrozenDictionary<string, string> _words;

    private ConsoleText(string language, IReadOnlyList<LanguageLink> links)
    {
        Language = language;
        Links = links;
        _words = Translations.Value.GetValueOrDefault(language) ?? FrozenDictionary<string, string>.Empty;
    }

    public static ConsoleText English { get; } = new("en", []);

    /// <summary>en, ru, zh or it: also the page's <c>lang</c>.</summary>
    public string Language { get; }

    /// <summary>The page being shown in each language, for the switcher.</summary>
    public IReadOnlyList<LanguageLink> Links { get; }

    public string this[string english] => _words.GetValueOrDefault(english, english);

    /// <summary>A sentence with values: <c>{0}</c>, <c>{1}</c> in the English text and in each translation.</summary>
    public string Format(string english, params object?[] values) => string.Format(CultureInfo.InvariantCulture, this[english], values);

    /// <summary>The sentences each language translates, by language: what a test compares with the sentences the pages use.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyCollection<string>> Translated() =>
        Translations.Value.ToDictionary(language => language.Key, language => (IReadOnlyCollection<string>)language.Value.Keys);

    /// <summary>The language of a request: chosen with <c>?lang=</c> (and then kept in a cookie), the cookie's, or the browser's preference.</summary>
    public static ConsoleText Of(HttpContext context)
    {
        // Asked for by each sentence an endpoint writes and by the page: worked out once per request.
        if (context.Items[typeof(ConsoleText)] is ConsoleText known) return known;
        var request = context.Request;
        var language = Supported(request.Query[LanguageQuery]) ?? Supported(request.Cookies[LanguageCookie]) ?? Preferred(request);
        var query = QueryHelpers.ParseQuery(request.QueryString.Value);
        query.Remove(LanguageQuery);
        var links = Languages.Select(l => new LanguageLink(l.Language, l.Name,
            QueryHelpers.AddQueryString((request.PathBase + request.Path).ToString(),
                [.. query.SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v))), KeyValuePair.Create(LanguageQuery, (string?)l.Language)]),
            l.Language == language)).ToList();
        var text = new ConsoleText(language, links);
        context.Items[typeof(ConsoleText)] = text;
        return text;
    }

    /// <summary>Keeps a language chosen with <c>?lang=</c> for the next pages, under the console's cookie path.</summary>
    public static void Remember(HttpContext context, string cookiePath)
    {
        if (Supported(context.Request.Query[LanguageQuery]) is not { } language) return;
        context.Response.Cookies.Append(LanguageCookie, language, new CookieOptions
        {
            Path = cookiePath, HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps, MaxAge = TimeSpan.FromDays(365),
        });
    }

    private static string? Supported(string? language) =>
        language is { Length: > 0 } && Languages.Any(l => l.Language == language) ? language : null;

    private static string Preferred(HttpRequest request)
    {
        foreach (var accepted in request.GetTypedHeaders().AcceptLanguage.OrderByDescending(a => a.Quality ?? 1))
        {
            var tag = accepted.Value.ToString();
            var primary = (tag.IndexOf('-', StringComparison.Ordinal) is > 0 and var dash ? tag[..dash] : tag).ToLowerInvariant();
            if (Supported(primary) is { } language) return language;
        }

        return "en";
    }

    private static FrozenDictionary<string, FrozenDictionary<string, string>> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var languages = new Dictionary<string, FrozenDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (language, _) in Languages.Skip(1))
        {
            using var stream = assembly.GetManifestResourceStream($"console-text.{language}.json")
                ?? throw new InvalidOperationException($"The console's {language} words are not built into it.");
            languages[language] = JsonSerializer.Deserialize<Dictionary<string, string>>(stream)!.ToFrozenDictionary(StringComparer.Ordinal);
        }

        return languages.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
