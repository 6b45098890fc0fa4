using Automation.Messages;
using Automation.Planning.Triggers;
using NodaTime.Text;

namespace Automation.Planning.Policies;

/// <summary>
/// Policy 4a: one message per address per occasion. The same occasion is the same trigger, occasion and
/// values (one person on two records), not two people's birthdays in one year.
/// </summary>
public static class SameOccasion
{
    public const string Name = "same occasion at the address";

    public static (ReasonCode Code, string Detail)? Check(SameAddress? sameAddress, ITrigger trigger, TriggerCandidate candidate) =>
        sameAddress?.Final.FirstOrDefault(m => m.Trigger.Value == trigger.Name && m.OccasionKey == candidate.OccasionKey && SameValues(m.Data, candidate.Data)) is { } same
            ? (ReasonCodes.SharedAddress,
                $"customer {same.CustomerId} has the same address and got this occasion's {trigger.Name} message (planned for {LocalDatePattern.Iso.Format(same.PlannedFor)}, " +
                $"{same.Status.Name()}); one message per address per occasion")
            : null;

    private static bool SameValues(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var value) && value == pair.Value);
}
