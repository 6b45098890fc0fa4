using Automation.Messages;
using Automation.Planning.Triggers;
using Automation.Profiles.Model;

namespace Automation.Planning.Policies;

/// <summary>Policy 4: a health-related trigger that chose the customer by their purchases needs their opt-in to health-related personalization.</summary>
public static class SensitiveData
{
    public const string Name = "sensitive data";

    public static (ReasonCode Code, string Detail)? Check(CustomerProfile profile, ITrigger trigger, TriggerCandidate candidate) =>
        trigger.HealthRelated && candidate.UsesPurchaseInference
            && !(profile.Consents.TryGetValue(ConsentChannels.HealthPersonalization, out var consent) && consent.IsOptedIn)
            ? (ReasonCodes.SensitiveData,
                "a health-related trigger selected this customer by purchases, and the customer has not opted in to health-related personalization")
            : null;
}
