using Automation.Profiles.Model;

namespace Automation.Delivery.Feedback;

/// <summary>Texts from a provider (SMTP responses, error messages) as we keep them.</summary>
public static class ProviderText
{
    private const int MaxLength = 500;

    /// <summary>Provider texts often quote the recipient's address; what is recorded or shown never does.</summary>
    public static string Masked(string text)
    {
        var masked = EmailAddresses.Masked(text);
        return masked.Length <= MaxLength ? masked : masked[..MaxLength] + "…";
    }
}
