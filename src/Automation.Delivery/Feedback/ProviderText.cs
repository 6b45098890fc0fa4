using System.Text.RegularExpressions;

namespace Automation.Delivery.Feedback;

/// <summary>Texts from a provider (SMTP responses, error messages) as we keep them.</summary>
public static partial class ProviderText
{
    private const int MaxLength = 500;

    /// <summary>Provider texts often quote the recipient's address; what is recorded or shown never does.</summary>
    public static string Masked(string text)
    {
        var masked = EmailAddress().Replace(text, "<address>");
        return masked.Length <= MaxLength ? masked : masked[..MaxLength] + "…";
    }

    [GeneratedRegex(@"[^\s<>""'(),;:\[\]]+@[^\s<>""'(),;:\[\]]+")]
    private static partial Regex EmailAddress();
}
