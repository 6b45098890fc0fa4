using Automation.Planning.Context;
using Automation.Planning.Days;
using Automation.Messages;
using Automation.Planning.Settings;
using Automation.Planning.Triggers;
using Automation.Profiles.Identifiers;
using Automation.Profiles.Model;
using NodaTime;
using NodaTime.Text;

namespace Automation.Planning.Policies;

public enum DecisionOutcome
{
    Planned,
    HeldOut,
    Suppressed,
    /// <summary>This occasion's message exists already (an earlier or concurrent plan): nothing new.</summary>
    AlreadyPlanned,
}

/// <summary>What the policies decided about one candidate, and why.</summary>
/// <param name="SendAt">When it goes, if it goes: inside the send window of the customer's day.</param>
/// <param name="Detail">The policy's reason in words, with the numbers.</param>
/// <param name="ShouldRecord">False when the message log already holds this very decision.</param>
/// <param name="MailboxKey">The customer's mailbox when other customers share it: a message for it claims the mailbox's day.</param>
public sealed record MessageDecision(
    CustomerId CustomerId,
    ITrigger Trigger,
    TriggerCandidate Candidate,
    MessageId MessageId,
    Instant? SendAt,
    DecisionOutcome Outcome,
    ReasonCode? ReasonCode,
    string Detail,
    bool ShouldRecord,
    string? MailboxKey = null,
    string? Locale = null,
    ProfileGaps Gaps = ProfileGaps.None)
{
    /// <summary>It puts a message in the mailbox: one to send, or one held out in its place.</summary>
    public bool Mails => Outcome is DecisionOutcome.Planned or DecisionOutcome.HeldOut;
}

/// <summary>
/// The day's decisions for one customer: every enabled trigger, then the policies in their fixed order
/// (docs/planning.md). Pure: the profile, its message history and the day's context in, decisions out.
/// </summary>
public sealed class CustomerPlanner
{
    /// <summary>The policies in the order they apply, each in its own file; docs/planning.md's table lists them in this order.</summary>
    public static IReadOnlyList<string> Policies { get; } =
    [
        NeverTwice.Name, Contactability.AddressName, Contactability.ConsentName, TopicPreferences.Name, SensitiveData.Name, SameOccasion.Name, Cooldown.Name, SendWindows.Name,
        FrequencyCap.Name, Priority.Name, IPersonalizationCheck.Name, Holdout.Name,
    ];

    private static readonly LocalDatePattern IsoDate = LocalDatePattern.Iso;
    private readonly PlanningSettings _settings;
    private readonly IReadOnlyList<ITrigger> _triggers;
    private readonly IPersonalizationCheck _personalization;
    private readonly AddressSupport _addresses;

    /// <param name="addresses">What the configured channel delivers to; without one, any valid address.</param>
    public CustomerPlanner(PlanningSettings settings, IEnumerable<ITrigger> triggers, IPersonalizationCheck personalization, AddressSupport? addresses = null)
    {
        _settings = settings;
        _addresses = addresses ?? AddressSupport.Any;
        // Evaluated, and later chosen, in priority order (1 first).
        _triggers = triggers.Where(t => t.Settings.Enabled).OrderBy(t => t.Settings.Priority).ToList();
        _personalization = personalization;
    }

    public IReadOnlyList<ITrigger> Triggers => _triggers;

    /// <summary>The decisions for <paramref name="date"/>, the customer's own calendar day; <c>null</c> when no trigger fires.</summary>
    /// <param name="sameAddress">The other customers at the customer's address, when there are any: the per-address rules count their messages.</param>
    public List<MessageDecision>? Plan(
        CustomerProfile profile, IReadOnlyList<MessageHistoryEntry> history, DayContext context, LocalDate date, Instant now, SameAddress? sameAddress = null)
    {
        List<MessageDecision>? decisions = null;
        ProfileGaps? gaps = null;
        foreach (var trigger in _triggers)
        {
            if (trigger.Evaluate(profile, context, date) is not { } candidate) continue;
            decisions ??= [];
            gaps ??= ProfileGapFields.Of(profile);
            decisions.Add(Screen(profile, history, sameAddress, trigger, candidate, date, now) with { MailboxKey = sameAddress?.MailboxKey, Locale = profile.Locale, Gaps = gaps.Value });
        }

        if (decisions is not null) Choose(profile, history, sameAddress, decisions, date);
        return decisions;
    }

    /// <summary>Whether a decision of this plan would put a message in the mailbox (sent or held out): only then do the others' messages matter.</summary>
    public static bool WouldMail(IEnumerable<MessageDecision> decisions) =>
        decisions.Any(d => d.Mails);

    /// <summary>Policies 2 and 3 for this planner's channel: <c>null</c> when the customer may be mailed.</summary>
    public (ReasonCode Code, string Detail)? CheckContactable(CustomerProfile profile) => Contactability.Check(profile, _addresses);

    public DateTimeZone ZoneOf(CustomerProfile profile) => SendWindows.ZoneOf(profile, _settings.Policies.DefaultTimeZone);

    /// <summary>Policies 1–6: each candidate on its own.</summary>
    private MessageDecision Screen(
        CustomerProfile profile, IReadOnlyList<MessageHistoryEntry> history, SameAddress? sameAddress, ITrigger trigger, TriggerCandidate candidate,
        LocalDate date, Instant now)
    {
        var customerId = new CustomerId(profile.CustomerId);
        var messageId = MessageIds.For(customerId, new TriggerName(trigger.Name), candidate.OccasionKey);
        var previous = NeverTwice.Previous(history, messageId);
        if (NeverTwice.Check(previous) is { } planned)
        {
            return new MessageDecision(customerId, trigger, candidate, messageId, null, DecisionOutcome.AlreadyPlanned, ReasonCodes.AlreadyPlanned,
                planned, ShouldRecord: false);
        }

        MessageDecision Suppress(ReasonCode code, string detail) => new(
            customerId, trigger, candidate, messageId, null, DecisionOutcome.Suppressed, code, detail,
            ShouldRecord: previous is not { } p || p.ReasonCode != code);

        var suppression = Contactability.Address(profile, _addresses)
            ?? Contactability.Consent(profile)
            ?? TopicPreferences.Check(profile, trigger.Name)
            ?? SensitiveData.Check(profile, trigger, candidate)
            ?? SameOccasion.Check(sameAddress, trigger, candidate)
            ?? Cooldown.Check(history, sameAddress, trigger, candidate, date);
        if (suppression is var (code, detail)) return Suppress(code, detail);

        var zone = ZoneOf(profile);
        var window = _settings.Policies.SendWindow;
        if (SendWindows.Next(window, date, zone, now) is not { } sendAt)
        {
            // Only a late plan gets here: a day planned ahead (docs/planning.md) is before every window.
            return Suppress(ReasonCodes.SendWindowPassed,
                $"the send window {window} of {IsoDate.Format(date)} in {zone.Id} " +
                $"had closed when this plan ran ({SendWindows.LocalText(now, zone)} there): the plan was late, and a day's message is not sent on another day");
        }

        return new MessageDecision(customerId, trigger, candidate, messageId, sendAt, DecisionOutcome.Planned, null,
            $"scheduled for {zone.Id} local time {SendWindows.LocalText(sendAt, zone)}", ShouldRecord: true);
    }

    /// <summary>
    /// Policies 7–10: the frequency cap; one message a day, the highest-priority candidate that can be
    /// personalised; the holdout group. Templates are rendered only for the candidate that would go,
    /// which is what keeps the daily pass fast.
    /// </summary>
    private void Choose(CustomerProfile profile, IReadOnlyList<MessageHistoryEntry> history, SameAddress? sameAddress, List<MessageDecision> decisions, LocalDate date)
    {
        var first = decisions.FindIndex(d => d.Outcome == DecisionOutcome.Planned);
        if (first < 0) return;

        if (FrequencyCap.Check(_settings.Policies, history, sameAddress, decisions[first].MessageId, date) is var (code, cap))
        {
            for (var i = first; i < decisions.Count; i++)
            {
                if (decisions[i].Outcome == DecisionOutcome.Planned) decisions[i] = Suppressed(decisions[i], code, cap, history);
            }

            return;
        }

        MessageDecision? winner = null;
        for (var i = first; i < decisions.Count; i++)
        {
            var decision = decisions[i];
            if (decision.Outcome != DecisionOutcome.Planned) continue;
            if (winner is not null)
            {
                var (lower, detail) = Priority.GivesWayTo(winner.Trigger);
                decisions[i] = Suppressed(decision, lower, detail, history);
                continue;
            }

            if (_personalization.FindMissingData(profile, decision.Candidate, decision.MessageId) is { } missing)
            {
                decisions[i] = Suppressed(decision, ReasonCodes.MissingData, missing, history);
                continue;
            }

            winner = decision;
            var holdout = decision.Trigger.Settings.HoldoutPercent;
            if (Holdout.IsHeldOut(_settings.Policies.HoldoutSalt, new TriggerName(decision.Trigger.Name), decision.CustomerId, holdout))
            {
                decisions[i] = decision with
                {
                    Outcome = DecisionOutcome.HeldOut,
                    ReasonCode = ReasonCodes.Holdout,
                    Detail = Holdout.Detail(decision.Trigger.Name, holdout),
                };
            }
        }
    }

    private static MessageDecision Suppressed(MessageDecision decision, ReasonCode code, string detail, IReadOnlyList<MessageHistoryEntry> history)
    {
        var recorded = false;
        foreach (var entry in history) recorded |= entry.MessageId == decision.MessageId && entry.ReasonCode == code;
        return decision with { Outcome = DecisionOutcome.Suppressed, ReasonCode = code, Detail = detail, SendAt = null, ShouldRecord = !recorded };
    }
}
