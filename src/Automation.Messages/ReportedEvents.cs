namespace Automation.Messages;

/// <summary>
/// Which kinds of provider report a message has had, as flags: the delivery funnel of the outcome
/// report, kept beside the message's status so reading every customer's history needs no event list.
/// </summary>
[Flags]
public enum ReportedEvents
{
    None = 0,
    Delivered = 1,
    Opened = 2,
    Clicked = 4,
    Bounced = 8,
    Dropped = 16,
    Unsubscribed = 32,
    SpamReported = 64,
}

public static class ReportedEventFlags
{
    /// <summary>The funnel kinds among <paramref name="events"/> (deferrals, processing and resubscriptions are none).</summary>
    public static ReportedEvents Of(IEnumerable<MessageEvent> events)
    {
        var seen = ReportedEvents.None;
        foreach (var reported in events) seen |= Of(reported.Type);
        return seen;
    }

    public static ReportedEvents Of(string type) => type switch
    {
        DeliveryEventTypes.Delivered => ReportedEvents.Delivered,
        DeliveryEventTypes.Open => ReportedEvents.Opened,
        DeliveryEventTypes.Click => ReportedEvents.Clicked,
        DeliveryEventTypes.Bounce => ReportedEvents.Bounced,
        DeliveryEventTypes.Dropped => ReportedEvents.Dropped,
        DeliveryEventTypes.Unsubscribe or DeliveryEventTypes.GroupUnsubscribe => ReportedEvents.Unsubscribed,
        DeliveryEventTypes.SpamReport => ReportedEvents.SpamReported,
        _ => ReportedEvents.None,
    };
}
