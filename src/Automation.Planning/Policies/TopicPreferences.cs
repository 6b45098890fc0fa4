using Automation.Messages;
using Automation.Profiles.Model;
using NodaTime.Text;

namespace Automation.Planning.Policies;

/// <summary>
/// Policy 3b: the customer turned this trigger's messages off on the preference page. Checked when
/// planning and again right before sending, like consent.
/// </summary>
public static class TopicPreferences
{
    public const string Name = "topic preference";

    public static (ReasonCode Code, string Detail)? Check(CustomerProfile profile, string trigger) =>
        profile.Consents.TryGetValue(ConsentChannels.Topic(trigger), out var topic) && topic.Explicit is { Status: ConsentStatus.OptOut } off
            ? (ReasonCodes.TopicOff, $"the customer turned {trigger} messages off on {LocalDatePattern.Iso.Format(off.At.InUtc().Date)}" + (off.Source is { } source ? $" ({source})" : ""))
            : null;
}
