namespace Automation.Rights.Preferences;

/// <summary>What the page's form asks for.</summary>
public enum PreferenceAction
{
    /// <summary>RFC 8058: a mail client's one-click POST (<c>List-Unsubscribe=One-Click</c>).</summary>
    OneClickUnsubscribe,
    Unsubscribe,
    Resubscribe,
    /// <summary>The topics and the health opt-in as ticked on the page.</summary>
    Save,
}

/// <summary>A submitted form: the action and, for <see cref="PreferenceAction.Save"/>, the topics left on and the health opt-in.</summary>
public sealed record PreferenceChoices(PreferenceAction Action, IReadOnlySet<string> TopicsOn, bool HealthPersonalization)
{
    public const string OneClickField = "List-Unsubscribe";
    public const string OneClickValue = "One-Click";
    public const string ActionField = "action";
    public const string TopicFieldPrefix = "topic:";
    public const string HealthField = "health";

    /// <summary>The choices a form's fields make, or <c>null</c> for a form that asks for nothing this page does.</summary>
    public static PreferenceChoices? From(IReadOnlyDictionary<string, string> form)
    {
        if (form.TryGetValue(OneClickField, out var oneClick) && oneClick == OneClickValue) return new(PreferenceAction.OneClickUnsubscribe, new HashSet<string>(), false);
        var action = form.GetValueOrDefault(ActionField) switch
        {
            "unsubscribe" => PreferenceAction.Unsubscribe,
            "resubscribe" => PreferenceAction.Resubscribe,
            "save" => PreferenceAction.Save,
            _ => (PreferenceAction?)null,
        };
        if (action is not { } chosen) return null;
        var topics = form.Where(f => f.Key.StartsWith(TopicFieldPrefix, StringComparison.Ordinal) && f.Value == "on")
            .Select(f => f.Key[TopicFieldPrefix.Length..]).ToHashSet(StringComparer.Ordinal);
        return new(chosen, topics, form.GetValueOrDefault(HealthField) == "on");
    }
}
