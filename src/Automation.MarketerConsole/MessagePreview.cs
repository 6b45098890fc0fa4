using Automation.Personalization;
using Automation.Personalization.Templates;
using Automation.Planning.Days;
using Automation.Planning.Policies;

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
        try
        {
            return new(decision.Trigger.Name, outcome, renderer.Render(day.Profile, decision.Candidate, decision.MessageId), null);
        }
        catch (MissingTemplateDataException ex)
        {
            return new(decision.Trigger.Name, outcome, null, $"Cannot render: {ex.Message}; the message would not be sent (missing_data).");
        }
        catch (MissingUnsubscribeLinkException ex)
        {
            return new(decision.Trigger.Name, outcome, null, $"Would be rejected: {ex.Message} (no_unsubscribe_link).");
        }
    }
}
