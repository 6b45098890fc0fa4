namespace Automation.Planning.Policies;

/// <summary>Why a candidate message did not become a sent one. docs/planning.md lists them in policy order.</summary>
public static class ReasonCodes
{
    public const string AlreadyPlanned = "already_planned";
    public const string NoEmail = "no_email";
    /// <summary>The configured channel cannot deliver to the address (a local part beyond ASCII without SMTPUTF8).</summary>
    public const string UndeliverableAddress = "undeliverable_address";
    public const string NoOptIn = "no_opt_in";
    public const string OptedOut = "opted_out";
    public const string Bounced = "bounced";
    public const string SpamReport = "spam_report";
    public const string SensitiveData = "sensitive_data";
    public const string Cooldown = "cooldown";
    public const string SendWindowPassed = "send_window_passed";
    public const string MissingData = "missing_data";
    /// <summary>The rendered message lost its unsubscribe link; rejected at delivery.</summary>
    public const string NoUnsubscribeLink = "no_unsubscribe_link";
    /// <summary>Another customer at the same address has this occasion's message, or a message that day.</summary>
    public const string SharedAddress = "shared_address";
    public const string LowerPriority = "lower_priority";
    public const string FrequencyCap = "frequency_cap";
    public const string Holdout = "holdout";
}
