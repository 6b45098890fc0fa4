using Automation.Messages;
using Automation.Planning.Triggers;
using NodaTime;
using NodaTime.Text;

namespace Automation.Planning.Policies;

/// <summary>Policy 5: no message with the same cooldown key in the trigger's <c>CooldownDays</c> before the day, to this customer or to the address.</summary>
public static class Cooldown
{
    public const string Name = "cooldown";

    public static (ReasonCode Code, string Detail)? Check(
        IReadOnlyList<MessageHistoryEntry> history, SameAddress? sameAddress, ITrigger trigger, TriggerCandidate candidate, LocalDate date)
    {
        if (candidate.CooldownKey is not { } cooldownKey || trigger.Settings.CooldownDays <= 0) return null;
        var days = trigger.Settings.CooldownDays;
        var since = date.PlusDays(-days);
        foreach (var entry in history)
        {
            if (entry.CooldownKey == cooldownKey && entry.Status.IsFinal() && entry.PlannedFor > since && entry.PlannedFor <= date)
            {
                return (ReasonCodes.Cooldown, $"a {cooldownKey} message was planned for {LocalDatePattern.Iso.Format(entry.PlannedFor)}; cooldown {days} days");
            }
        }

        if (sameAddress?.Final.FirstOrDefault(m => m.CooldownKey == cooldownKey && m.PlannedFor > since && m.PlannedFor <= date) is { } sibling)
        {
            return (ReasonCodes.Cooldown,
                $"a {cooldownKey} message to the same address (customer {sibling.CustomerId}) was planned for {LocalDatePattern.Iso.Format(sibling.PlannedFor)}; " +
                $"cooldown {days} days");
        }

        return null;
    }
}
