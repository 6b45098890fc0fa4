namespace Automation.Planning.Settings;

public enum LeapDayRule
{
    /// <summary>A Feb 29 birthday is celebrated on Feb 28 in years without Feb 29.</summary>
    February28,
    /// <summary>A Feb 29 birthday is celebrated on Mar 1 in years without Feb 29.</summary>
    March1,
}
