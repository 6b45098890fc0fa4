using Automation.Messages;
using Automation.Planning.Policies;
using Automation.Profiles.Mailboxes;
using NodaTime;
using NodaTime.Text;

namespace Automation.Planning.Mailboxes;

/// <summary>The message that has a mailbox's day.</summary>
public readonly record struct MailboxDayClaim(string MessageId, string CustomerId);

/// <summary>
/// What the plan reads of the mailboxes the profile store keeps (<see cref="MailboxRules"/>), and the
/// claim that makes it one message per mailbox a day even when the plan's workers, or two plans, decide
/// about two customers at one address at once.
/// </summary>
public interface IMailboxes
{
    /// <summary>Every mailbox more than one customer has, with its holders: few, next to the customers.</summary>
    IAsyncEnumerable<Mailbox> ReadSharedAsync(CancellationToken cancellationToken = default);

    /// <summary>One mailbox (a point read), for explaining one customer; <c>null</c> when no customer ever had the address.</summary>
    Task<Mailbox?> GetAsync(string mailboxKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims <paramref name="day"/> of the mailbox for <paramref name="claim"/>, create-if-absent.
    /// Returns the claim that holds the day: this one, or the one that got there first.
    /// </summary>
    Task<MailboxDayClaim> ClaimDayAsync(string mailboxKey, LocalDate day, MailboxDayClaim claim, CancellationToken cancellationToken = default);
}

public static class MailboxDays
{
    /// <summary>
    /// Claims <paramref name="day"/> of the mailbox for one message: <c>null</c> when the message has the
    /// day, otherwise the reason it may not go (another customer's message at the address has it).
    /// </summary>
    public static async Task<(ReasonCode Code, string Detail)?> ClaimAsync(
        this IMailboxes mailboxes, string mailboxKey, LocalDate day, string messageId, string customerId, CancellationToken cancellationToken)
    {
        var holder = await mailboxes.ClaimDayAsync(mailboxKey, day, new MailboxDayClaim(messageId, customerId), cancellationToken);
        return holder.MessageId == messageId ? null : Taken(holder.CustomerId, day);
    }

    /// <summary>Why a message may not go: <paramref name="holder"/>'s message has the address's <paramref name="day"/>.</summary>
    public static (ReasonCode Code, string Detail) Taken(string holder, LocalDate day) => (ReasonCodes.SharedAddress,
        $"customer {holder} has the same address and a message on {LocalDatePattern.Iso.Format(day)}; one message per address a day");
}
