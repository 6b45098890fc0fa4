using Automation.Messages;
using Automation.Personalization.Links;

namespace Automation.Testing;

/// <summary>The links of the test settings: a synthetic key (the text "synthetic link key for tests 001") and the sample base URL.</summary>
public static class TestLinks
{
    public const string Key = "c3ludGhldGljIGxpbmsga2V5IGZvciB0ZXN0cyAwMDE=";
    public const string BaseUrl = "https://shop.example.com/automation";

    public static PreferenceLinks Links { get; } = new(new Uri(BaseUrl), new LinkKeys([Convert.FromBase64String(Key)]));

    public static string UrlFor(string messageId) => Links.UrlFor(new MessageId(messageId));

    /// <summary>The settings that give <see cref="Links"/>.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Automation:Personalization:PublicBaseUrl", BaseUrl),
        new("Automation:Personalization:LinkKeys:0", Key),
    ];
}
