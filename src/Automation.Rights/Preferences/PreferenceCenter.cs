using Automation.Messages;
using Automation.Personalization;
using Automation.Personalization.Links;
using Automation.Planning.Policies;
using Automation.Planning.Triggers;
using Automation.Profiles.Changes;
using Automation.Profiles.Model;
using Automation.Profiles.Storage;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace Automation.Rights.Preferences;

/// <summary>
/// Answers the link in every mail. Showing the page changes nothing; a submitted choice goes into the
/// consent registers at once, with its source and time, through the same path as every other consent
/// change (an unsubscribe applies to every customer at the address). The next plan, the delivery
/// re-check and <c>explain</c> see it. The token is the only authority: a forged one gets 404.
/// </summary>
public sealed class PreferenceCenter(
    PreferenceLinks links,
    IMessageLog messages,
    ICustomerProfileStore profiles,
    IEnumerable<ITrigger> triggers,
    PersonalizationSettings personalization,
    IClock clock,
    ILogger<PreferenceCenter> logger)
{
    private readonly IReadOnlyList<ITrigger> _topics = triggers.Where(t => t.Settings.Enabled).OrderBy(t => t.Settings.Priority).ToList();

    public async Task<PreferenceResponse> ShowAsync(string token, CancellationToken cancellationToken = default)
    {
        if (await FindAsync(token, cancellationToken) is not var (_, profile)) return PreferenceResponse.NotFound;
        return profile is null ? NothingHeld(null) : Page(profile, notice: null);
    }

    public async Task<PreferenceResponse> SubmitAsync(string token, IReadOnlyDictionary<string, string> form, CancellationToken cancellationToken = default)
    {
        if (await FindAsync(token, cancellationToken) is not var (message, profile)) return PreferenceResponse.NotFound;
        if (PreferenceChoices.From(form) is not { } choices) return new(400, PreferenceResponse.PlainText, "The form asks for nothing this page does.");
        var oneClick = choices.Action == PreferenceAction.OneClickUnsubscribe;
        if (profile is null) return oneClick ? new(200, PreferenceResponse.PlainText, "Nothing is held for this link.") : NothingHeld(null);

        var changes = ChangesFor(message, profile, choices, clock.GetCurrentInstant());
        if (changes.Count > 0) await profiles.ApplyAsync(changes, cancellationToken);
        logger.LogInformation("Preference link of message {MessageId}: {Action}, {Changes} consent change(s)", message.MessageId, choices.Action, changes.Count);
        if (oneClick) return new(200, PreferenceResponse.PlainText, "You are unsubscribed.");

        var text = TextFor(profile);
        var updated = await profiles.GetAsync(profile.CustomerId, cancellationToken);
        var notice = choices.Action switch
        {
            PreferenceAction.Unsubscribe => text.UnsubscribedDone,
            PreferenceAction.Resubscribe => text.ResubscribedDone,
            _ => text.Saved,
        };
        return updated is null ? NothingHeld(profile) : Page(updated, notice);
    }

    private async Task<(MessageRecord Message, CustomerProfile? Profile)?> FindAsync(string token, CancellationToken cancellationToken)
    {
        if (links.Read(token) is not { } messageId || await messages.FindAsync(messageId, cancellationToken) is not { } message) return null;
        return (message, await profiles.GetAsync(message.CustomerId.Value, cancellationToken));
    }

    /// <summary>Only what differs from the profile: submitting the same page twice records nothing new.</summary>
    private List<ProfileChange> ChangesFor(MessageRecord message, CustomerProfile profile, PreferenceChoices choices, Instant now)
    {
        var source = new LineSource($"preferences:{message.MessageId}", 1);
        var said = choices.Action == PreferenceAction.OneClickUnsubscribe ? $"one-click unsubscribe, message {message.MessageId}" : $"preference page, message {message.MessageId}";
        ConsentChange Statement(string channel, bool on) =>
            new(profile.CustomerId, source, channel, on ? ConsentStatus.OptIn : ConsentStatus.OptOut, now) { ConsentSource = said, Origin = ConsentOrigin.ConsentEvent };

        var changes = new List<ProfileChange>();
        switch (choices.Action)
        {
            case PreferenceAction.OneClickUnsubscribe or PreferenceAction.Unsubscribe:
                changes.Add(Statement(ConsentChannels.Email, on: false));
                break;
            case PreferenceAction.Resubscribe:
                changes.Add(Statement(ConsentChannels.Email, on: true));
                break;
            default:
                foreach (var topic in _topics)
                {
                    var on = choices.TopicsOn.Contains(topic.Name);
                    if (on != IsOn(profile, topic.Name)) changes.Add(Statement(ConsentChannels.Topic(topic.Name), on));
                }

                if (choices.HealthPersonalization != HealthOptedIn(profile)) changes.Add(Statement(ConsentChannels.HealthPersonalization, choices.HealthPersonalization));
                break;
        }

        return changes;
    }

    private PreferenceResponse Page(CustomerProfile profile, string? notice) => new(200, PreferenceResponse.Html, PreferencePage.Render(TextFor(profile), new PageState(
        Contactability.Consent(profile) is null,
        [.. _topics.Select(t => new TopicState(t.Name, t.HealthRelated, IsOn(profile, t.Name)))],
        HealthOptedIn(profile),
        notice)));

    private PreferenceResponse NothingHeld(CustomerProfile? profile)
    {
        var text = TextFor(profile);
        return new(200, PreferenceResponse.Html, PreferencePage.Message(text, text.NothingHeld));
    }

    private PageText TextFor(CustomerProfile? profile) => PageText.For(profile?.Locale, personalization.DefaultLocale);

    private static bool IsOn(CustomerProfile profile, string trigger) => TopicPreferences.Check(profile, trigger) is null;

    private static bool HealthOptedIn(CustomerProfile profile) =>
        profile.Consents.TryGetValue(ConsentChannels.HealthPersonalization, out var consent) && consent.IsOptedIn;
}
