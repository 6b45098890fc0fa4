namespace Automation.Messages;

/// <summary>The provider event names the product acts on (SendGrid's names; "blocked" is SendGrid's bounce of type blocked).</summary>
public static class DeliveryEventTypes
{
    public const string Processed = "processed";
    public const string Delivered = "delivered";
    public const string Deferred = "deferred";
    public const string Open = "open";
    public const string Click = "click";
    public const string Bounce = "bounce";
    public const string Blocked = "blocked";
    public const string Dropped = "dropped";
    public const string SpamReport = "spamreport";
    public const string Unsubscribe = "unsubscribe";
    public const string GroupUnsubscribe = "group_unsubscribe";
    public const string GroupResubscribe = "group_resubscribe";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Processed, Delivered, Deferred, Open, Click, Bounce, Blocked, Dropped, SpamReport, Unsubscribe, GroupUnsubscribe, GroupResubscribe,
    };
}
