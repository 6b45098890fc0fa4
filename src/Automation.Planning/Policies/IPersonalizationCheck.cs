using Automation.Messages;
using Automation.Planning.Triggers;
using Automation.Profiles.Model;

namespace Automation.Planning.Policies;

/// <summary>
/// Policy 9: whether a message can be personalised for this customer: every value its template uses
/// exists or has a declared fallback. Checked for the candidate priority picks; if it fails, the next
/// candidate is tried. Implemented by the templates (Automation.Personalization).
/// </summary>
public interface IPersonalizationCheck
{
    public const string Name = "personalization";

    /// <summary><c>null</c> when the message renders; otherwise what is missing, in words.</summary>
    string? FindMissingData(CustomerProfile profile, TriggerCandidate candidate, MessageId messageId);
}
