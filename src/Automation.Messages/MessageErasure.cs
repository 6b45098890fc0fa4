using Automation.Profiles.Erasure;
using Automation.Profiles.Identifiers;

namespace Automation.Messages;

/// <summary>
/// What stays of an erased customer's message: its id, trigger, occasion, day, status and the types and
/// times of its reports, so counts (sent, held out, opened) stay true; under the tombstone instead of
/// the customer id, without the template data, the reason in words, the delivery detail or the report
/// details, any of which can name or describe the customer. A message still waiting for delivery is
/// suppressed, so nothing is ever sent to an erased customer.
/// </summary>
public static class MessageErasure
{
    /// <summary>The reason code of a message suppressed because its customer was erased.</summary>
    public static readonly ReasonCode Erased = new("erased");

    public static MessageRecord Scrub(MessageRecord message, Tombstone tombstone)
    {
        var pending = message.Status.AwaitsDelivery();
        return message with
        {
            CustomerId = new CustomerId(tombstone.Value),
            Status = pending ? MessageStatus.Suppressed : message.Status,
            ReasonCode = pending ? Erased : message.ReasonCode,
            Reason = "the customer was erased",
            Data = new Dictionary<string, string>(),
            Detail = null,
            Events = [.. message.Events.Select(e => e with { Detail = null })],
        };
    }
}
