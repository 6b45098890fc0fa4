using Automation.Messages;
using Automation.Profiles.Model;
using NodaTime.Text;

namespace Automation.Planning.Policies;

/// <summary>
/// Policies 2 and 3: an address the channel can deliver to, and marketing email opt-in with no opt-out
/// or suppression on record. Checked when planning and again right before sending, so an opt-out in
/// between still wins.
/// </summary>
public static class Contactability
{
    public const string AddressName = "contactable";
    public const string ConsentName = "consent";
    private static readonly LocalDatePattern IsoDate = LocalDatePattern.Iso;

    /// <summary><c>null</c> when the customer may be mailed; otherwise the reason code and its explanation.</summary>
    /// <param name="addresses">What the configured channel delivers to; <c>null</c>: any valid address.</param>
    public static (ReasonCode Code, string Detail)? Check(CustomerProfile profile, AddressSupport? addresses = null) =>
        Address(profile, addresses) ?? Consent(profile);

    /// <summary>Policy 2: a valid address on record that the channel delivers to.</summary>
    public static (ReasonCode Code, string Detail)? Address(CustomerProfile profile, AddressSupport? addresses = null)
    {
        if (!profile.HasEmail) return (ReasonCodes.NoEmail, "no email address on record");
        return (addresses ?? AddressSupport.Any).Problem(profile.Email!) is { } undeliverable ? (ReasonCodes.UndeliverableAddress, undeliverable) : null;
    }

    /// <summary>Policy 3: marketing email opt-in is the newest statement, and no explicit opt-out or suppression stands.</summary>
    public static (ReasonCode Code, string Detail)? Consent(CustomerProfile profile)
    {
        if (!profile.Consents.TryGetValue(ConsentChannels.Email, out var consent)) return (ReasonCodes.NoOptIn, "no marketing email opt-in on record");
        if (consent.Explicit is { } statement && statement.Status.Withholds())
        {
            var when = $"on {IsoDate.Format(statement.At.InUtc().Date)}" + (statement.Source is { } source ? $" ({source})" : "");
            return statement.Status switch
            {
                ConsentStatus.Bounced => (ReasonCodes.Bounced, $"mail to the address bounced {when}"),
                ConsentStatus.SpamReport => (ReasonCodes.SpamReport, $"the customer reported a message as spam {when}"),
                _ => (ReasonCodes.OptedOut, $"the customer opted out of email {when}"),
            };
        }

        if (consent.LeftGroup)
        {
            var left = consent.Group!;
            return (ReasonCodes.OptedOut, $"the customer left the email unsubscribe group on {IsoDate.Format(left.At.InUtc().Date)}" + (left.Source is { } source ? $" ({source})" : ""));
        }

        return consent.IsOptedIn ? null : (ReasonCodes.NoOptIn, "the latest email consent on record is not an opt-in");
    }
}
