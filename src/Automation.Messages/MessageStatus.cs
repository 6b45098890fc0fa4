namespace Automation.Messages;

public enum MessageStatus
{
    /// <summary>Decided and scheduled; delivery has not happened yet.</summary>
    Planned,
    /// <summary>Would have been sent, but the customer is in the trigger's holdout group.</summary>
    HeldOut,
    /// <summary>A policy stopped it; <see cref="MessageRecord.ReasonCode"/> says which.</summary>
    Suppressed,
    /// <summary>Handed to the provider and accepted by it (not yet delivered).</summary>
    Sent,
    /// <summary>Delivery failed before the provider accepted it; the next delivery run tries again.</summary>
    Failed,
    /// <summary>Being handed to the provider right now. Left behind by a crash, it becomes <see cref="Unknown"/>.</summary>
    Sending,
    /// <summary>A send whose outcome nobody saw (a crash or a timeout mid-request): never resent automatically.</summary>
    Unknown,
    /// <summary>The provider refused this message for good (say, an invalid address); never resent.</summary>
    Rejected,
    /// <summary>The receiving server accepted it (the provider's delivered event, or an open or click).</summary>
    Delivered,
    /// <summary>The receiving server refused it permanently.</summary>
    Bounced,
    /// <summary>The provider did not send it (a suppressed or invalid address).</summary>
    Dropped,
}
