using System.Net;
using System.Text.RegularExpressions;

namespace Automation.Personalization.Templates;

/// <summary>The rendered message has no working unsubscribe link: it is never sent.</summary>
public sealed class MissingUnsubscribeLinkException(string message) : Exception(message);

/// <summary>
/// Whether a rendered message carries its unsubscribe link where a reader sees it: in the text part,
/// and as an <c>href</c> in the HTML part outside comments. Checked on what was rendered, not on the
/// template's source, so a link inside a Handlebars comment or a false <c>{{#if}}</c> is caught.
/// </summary>
public static partial class UnsubscribeLink
{
    /// <summary>What is wrong, or <c>null</c> when both parts carry <paramref name="url"/>.</summary>
    public static string? Problem(string html, string text, string url)
    {
        var missing = new List<string>();
        if (!HasLink(html, url)) missing.Add("the HTML part has no link to it");
        if (!text.Contains(url, StringComparison.Ordinal)) missing.Add("the text part does not show it");
        return missing.Count == 0 ? null : $"the rendered message lost its unsubscribe link {url}: {string.Join(" and ", missing)}";
    }

    private static bool HasLink(string html, string url)
    {
        foreach (Match href in Href().Matches(Comment().Replace(html, " ")))
        {
            if (WebUtility.HtmlDecode(href.Groups["value"].Value) == url) return true;
        }

        return false;
    }

    [GeneratedRegex("<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex("""<a\s[^>]*?href\s*=\s*(?:"(?<value>[^"]*)"|'(?<value>[^']*)'|(?<value>[^\s>]+))""", RegexOptions.IgnoreCase)]
    private static partial Regex Href();
}
