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

    /// <summary>What a reason means, in one sentence a marketer reads (docs/planning.md has the rules in full).</summary>
    public static string Meaning(string code) => code switch
    {
        "already_planned" => "An earlier plan already made this occasion's message.",
        "no_email" => "No valid email address is on record.",
        "undeliverable_address" => "The sending channel cannot deliver to the address (SendGrid takes only ASCII before the @).",
        "no_opt_in" => "The customer has not opted in to marketing email.",
        "opted_out" => "The customer opted out of marketing email.",
        "bounced" => "Mail to the address bounced.",
        "spam_report" => "The customer reported a mail as spam.",
        "topic_off" => "The customer turned this trigger's messages off on the preference page.",
        "sensitive_data" => "A health-related message chosen from purchases needs the health opt-in, which the customer has not given.",
        "shared_address" => "Another customer at the same address gets this occasion's message, or a message that day.",
        "cooldown" => "A message with the same cooldown key went out within the trigger's cooldown.",
        "send_window_passed" => "The plan ran after the day's send window had closed in the customer's time zone.",
        "frequency_cap" => "The customer already had as many messages as the frequency cap allows, or one that day.",
        "lower_priority" => "One message a day: a trigger of higher priority mails the customer that day.",
        "missing_data" => "The template needs a value the customer's profile does not have.",
        "no_unsubscribe_link" => "The rendered message lost its unsubscribe link and would be rejected.",
        "holdout" => "The customer is in the trigger's holdout group: recorded, not sent, to measure the trigger's effect.",
        "erased" => "The customer was erased before the message went.",
        _ => "A reason this version does not describe; docs/planning.md lists them.",
    };
}
