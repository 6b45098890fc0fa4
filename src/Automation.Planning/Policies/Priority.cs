using Automation.Messages;
using Automation.Planning.Triggers;

namespace Automation.Planning.Policies;

/// <summary>Policy 8: one message a day; of the candidates still standing, the trigger with the lowest <c>Priority</c> number goes.</summary>
public static class Priority
{
    public const string Name = "priority";

    /// <summary>Why a candidate gives way to <paramref name="winner"/>'s.</summary>
    public static (ReasonCode Code, string Detail) GivesWayTo(ITrigger winner) =>
        (ReasonCodes.LowerPriority, $"{winner.Name} (priority {winner.Settings.Priority}) goes today; one message a day");
}
