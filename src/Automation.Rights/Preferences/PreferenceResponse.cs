namespace Automation.Rights.Preferences;

/// <summary>What a host sends back for a request to a preference link.</summary>
public sealed record PreferenceResponse(int StatusCode, string ContentType, string Body)
{
    public const string Html = "text/html; charset=utf-8";
    public const string PlainText = "text/plain; charset=utf-8";

    /// <summary>A forged, altered or cut-short token: as if there were nothing at the address.</summary>
    public static PreferenceResponse NotFound { get; } = new(404, PlainText, "Not found.");
}
