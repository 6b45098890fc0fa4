using Automation.Planning.Triggers;
using Automation.Profiles.Model;

namespace Automation.Planning.Policies;

/// <summary>
/// Whether a message can be personalised for this customer: every value its template uses exists or
/// has a declared fallback. Implemented by the templates (Automation.Personalization).
/// </summary>
public interface IPersonalizationCheck
{
    /// <summary><c>null</c> when the message renders; otherwise what is missing, in words.</summary>
    string? FindMissingData(CustomerProfile profile, TriggerCandidate candidate, string messageId);
}
