using Automation.Personalization;
using Automation.Personalization.Templates;
using Automation.Planning.Days;
using Automation.Messages;
using Automation.Planning.Policies;
using Automation.Planning.Triggers;
using Automation.Profiles.Model;

namespace Automation.MarketerConsole;

/// <summary>
/// The message a trigger that fires on the day would send the customer, rendered in their locale as
/// <c>automation preview</c> renders it, even when a policy stops it; or why it cannot be rendered.
/// </summary>
public sealed record MessagePreview(string Trigger, string Outcome, RenderedMessage? Message, string? Problem)
{
    public static IReadOnlyList<MessagePreview> Of(CustomerDay day, MessageRenderer renderer) =>
        [.. day.Decisions.Select(decision => Of(day, decision, renderer))];

    private static MessagePreview Of(CustomerDay day, MessageDecision decision, MessageRenderer renderer)
    {
        var outcome = decision.Outcome switch
        {
            DecisionOutcome.Planned => $"Would be sent: {decision.Detail}",
            DecisionOutcome.HeldOut => $"Held out: {decision.Detail}",
            DecisionOutcome.AlreadyPlanned => $"Already planned: {decision.Detail}",
            _ => $"Would not be sent: the {decision.ReasonCode} policy stops it: {decision.Detail}",
        };
        if (day.Profile.Email is null) return new(decision.Trigger.Name, outcome, null, "No email address on record, so there is nothing to render.");
        var (message, problem) = TryRender(renderer, day.Profile, decision.Candidate, decision.MessageId);
        return new(decision.Trigger.Name, outcome, message, problem);
    }

    /// <summary>The rendered message, or the sentence saying why the sender would not take it: what every console page that renders shows.</summary>
    internal static (RenderedMessage? Message, string? Problem) TryRender(MessageRenderer renderer, CustomerProfile profile, TriggerCandidate candidate, MessageId messageId)
    {
        try
        {
            return (renderer.Render(profile, candidate, messageId), null);
        }
        catch (MissingTemplateDataException ex)
        {
            return (null, $"Cannot render: {ex.Message}; the message would not be sent (missing_data).");
        }
        catch (MissingUnsubscribeLinkException ex)
        {
            return (null, $"Would be rejected: {ex.Message} (no_unsubscribe_link).");
        }
    }
}
