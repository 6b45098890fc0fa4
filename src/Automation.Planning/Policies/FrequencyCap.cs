using Automation.Messages;
using Automation.Planning.Settings;
using NodaTime;
using NodaTime.Text;

namespace Automation.Planning.Policies;

/// <summary>
/// Policy 7: fewer than <c>MaxMessages</c> messages in the <c>WindowDays</c> days up to the day, and none
/// yet on the day; both per address when other customers share it.
/// </summary>
public static class FrequencyCap
{
    public const string Name = "frequency cap";

    /// <param name="messageId">The candidate's own message, which does not count against itself.</param>
    public static (ReasonCode Code, string Detail)? Check(
        PolicySettings policies, IReadOnlyList<MessageHistoryEntry> history, SameAddress? sameAddress, MessageId messageId, LocalDate date)
    {
        var days = policies.FrequencyCapDays;
        var max = policies.FrequencyCapMessages;
        var since = date.PlusDays(-days);
        var count = 0;
        foreach (var entry in history)
        {
            if (entry.MessageId == messageId || !entry.Status.IsFinal() || entry.PlannedFor <= since || entry.PlannedFor > date) continue;
            if (entry.PlannedFor == date) return (ReasonCodes.FrequencyCap, $"a {entry.Trigger} message is already planned for {LocalDatePattern.Iso.Format(date)}; one message a day");
            count++;
        }

        foreach (var message in sameAddress?.Final ?? [])
        {
            if (message.PlannedFor <= since || message.PlannedFor > date) continue;
            if (message.PlannedFor == date)
            {
                return (ReasonCodes.SharedAddress,
                    $"customer {message.CustomerId} has the same address and a {message.Trigger} message planned for {LocalDatePattern.Iso.Format(date)}; one message per address a day");
            }

            count++;
        }

        if (count < max) return null;
        var to = sameAddress is null ? "" : $" to this address (shared with {sameAddress.OthersText})";
        return (ReasonCodes.FrequencyCap, $"{count} messages{to} in the {days} days to {LocalDatePattern.Iso.Format(date)}; the cap is {max}");
    }
}
