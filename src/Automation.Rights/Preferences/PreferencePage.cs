using System.Net;
using System.Text;

namespace Automation.Rights.Preferences;

/// <summary>What the page shows: the email subscription, each topic, the health opt-in, and what was just done.</summary>
internal sealed record PageState(bool Subscribed, IReadOnlyList<TopicState> Topics, bool HealthPersonalization, string? Notice);

internal sealed record TopicState(string Trigger, bool HealthRelated, bool On);

/// <summary>
/// The preference page as plain HTML: it works without JavaScript, loads nothing from another host, and
/// its forms post back to the link itself. Showing it changes nothing (mail scanners follow links).
/// </summary>
internal static class PreferencePage
{
    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.5}
        h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.5rem}fieldset{border:0;padding:0;margin:0}
        label{display:block;margin:.4rem 0}button{font:inherit;padding:.5rem 1rem;margin-top:.8rem;cursor:pointer}
        .notice{background:#eef6ee;border-left:4px solid #3a7d44;padding:.6rem .8rem}
        """;

    public static string Render(PageText text, PageState state)
    {
        var html = new StringBuilder(2048);
        html.Append("<!DOCTYPE html>\n<html lang=\"").Append(text.Language).Append("\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" content=\"noindex\">")
            .Append("<title>").Append(Encode(text.Title)).Append("</title><style>").Append(Style).Append("</style></head><body>\n")
            .Append("<h1>").Append(Encode(text.Title)).Append("</h1>\n");
        if (state.Notice is { } notice) html.Append("<p class=\"notice\" role=\"status\">").Append(Encode(notice)).Append("</p>\n");

        html.Append("<p>").Append(Encode(state.Subscribed ? text.Subscribed : text.Unsubscribed)).Append("</p>\n")
            .Append("<form method=\"post\"><button type=\"submit\" name=\"").Append(PreferenceChoices.ActionField).Append("\" value=\"")
            .Append(state.Subscribed ? "unsubscribe" : "resubscribe").Append("\">")
            .Append(Encode(state.Subscribed ? text.UnsubscribeButton : text.ResubscribeButton)).Append("</button></form>\n");

        html.Append("<form method=\"post\"><h2>").Append(Encode(text.TopicsHeading)).Append("</h2><fieldset>\n");
        foreach (var topic in state.Topics.Where(t => !t.HealthRelated)) Checkbox(html, PreferenceChoices.TopicFieldPrefix + topic.Trigger, text.TopicLabel(topic.Trigger), topic.On);
        html.Append("</fieldset><h2>").Append(Encode(text.HealthHeading)).Append("</h2><fieldset>\n");
        foreach (var topic in state.Topics.Where(t => t.HealthRelated)) Checkbox(html, PreferenceChoices.TopicFieldPrefix + topic.Trigger, text.TopicLabel(topic.Trigger), topic.On);
        Checkbox(html, PreferenceChoices.HealthField, text.HealthConsent, state.HealthPersonalization);
        html.Append("</fieldset><button type=\"submit\" name=\"").Append(PreferenceChoices.ActionField).Append("\" value=\"save\">")
            .Append(Encode(text.Save)).Append("</button></form>\n</body></html>\n");
        return html.ToString();
    }

    /// <summary>A page with one sentence, for a link whose customer is no longer held.</summary>
    public static string Message(PageText text, string sentence) =>
        $"<!DOCTYPE html>\n<html lang=\"{text.Language}\"><head><meta charset=\"utf-8\"><meta name=\"robots\" content=\"noindex\"><title>{Encode(text.Title)}</title>" +
        $"<style>{Style}</style></head><body>\n<h1>{Encode(text.Title)}</h1>\n<p>{Encode(sentence)}</p>\n</body></html>\n";

    private static void Checkbox(StringBuilder html, string name, string label, bool on) =>
        html.Append("<label><input type=\"checkbox\" name=\"").Append(Encode(name)).Append("\" value=\"on\"").Append(on ? " checked" : "").Append("> ")
            .Append(Encode(label)).Append("</label>\n");

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
