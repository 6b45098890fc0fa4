using Automation.Personalization;
using Automation.Personalization.Templates;
using Automation.Planning.Days;
using Automation.Messages;
using Automation.Planning.Policies;
using Automation.Planning.Triggers;
using Automation.Profiles.Model;

namespace Automation.MarketerConsole;

/// <summary>
/// The message a trigger would send the customer, rendered in their locale as <c>automation preview</c>
/// renders it, even when a policy stops it or the trigger does not fire that day; or why it cannot be rendered.
/// </summary>
public sealed record MessagePreview(string Trigger, string Outcome, RenderedMessage? Message, string? Problem)
{
    /// <summary>The id an example message is rendered with: its links go nowhere.</summary>
    internal static readonly MessageId ExampleMessage = new("m00000000000000000000000000000000");

    /// <summary>
    /// Each enabled trigger's message: as the day's decision would send it when the trigger fires, and
    /// otherwise with the trigger's example values (its occasion, days, pollen), in the customer's locale and with their profile.
    /// </summary>
    public static IReadOnlyList<MessagePreview> Of(CustomerDay day, MessageRenderer renderer) =>
        [.. day.Planner.Triggers.Select(trigger => day.Decisions.FirstOrDefault(d => d.Trigger == trigger) is { } decision
            ? Of(day, decision, renderer)
            : Example(day, trigger, renderer))];

    private static MessagePreview Example(CustomerDay day, ITrigger trigger, MessageRenderer renderer)
    {
        const string outcome = "Does not fire on this day: rendered with the trigger's example values, as the customer would read it when it fires.";
        if (day.Profile.Email is null) return new(trigger.Name, outcome, null, "No email address on record, so there is nothing to render.");
        var (message, problem) = TryRender(renderer, day.Profile, trigger.Example(day.Date), ExampleMessage);
        return new(trigger.Name, outcome, message, problem);
    }

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
