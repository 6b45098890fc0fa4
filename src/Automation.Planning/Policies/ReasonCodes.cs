using Automation.Messages;

namespace Automation.Planning.Policies;

/// <summary>Why a candidate message did not become a sent one. docs/planning.md lists them in policy order.</summary>
public static class ReasonCodes
{
    public static readonly ReasonCode AlreadyPlanned = new("already_planned");
    public static readonly ReasonCode NoEmail = new("no_email");
    /// <summary>The configured channel cannot deliver to the address (a local part beyond ASCII without SMTPUTF8).</summary>
    public static readonly ReasonCode UndeliverableAddress = new("undeliverable_address");
    public static readonly ReasonCode NoOptIn = new("no_opt_in");
    public static readonly ReasonCode OptedOut = new("opted_out");
    public static readonly ReasonCode Bounced = new("bounced");
    public static readonly ReasonCode SpamReport = new("spam_report");
    /// <summary>The customer turned this trigger's messages off on the preference page.</summary>
    public static readonly ReasonCode TopicOff = new("topic_off");
    public static readonly ReasonCode SensitiveData = new("sensitive_data");
    public static readonly ReasonCode Cooldown = new("cooldown");
    public static readonly ReasonCode SendWindowPassed = new("send_window_passed");
    public static readonly ReasonCode MissingData = new("missing_data");
    /// <summary>The rendered message lost its unsubscribe link; rejected at delivery.</summary>
    public static readonly ReasonCode NoUnsubscribeLink = new("no_unsubscribe_link");
    /// <summary>Another customer at the same address has this occasion's message, or a message that day.</summary>
    public static readonly ReasonCode SharedAddress = new("shared_address");
    public static readonly ReasonCode LowerPriority = new("lower_priority");
    public static readonly ReasonCode FrequencyCap = new("frequency_cap");
    public static readonly ReasonCode Holdout = new("holdout");
}
