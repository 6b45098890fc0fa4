namespace Automation.Planning.Settings;

public enum PollenTargeting
{
    /// <summary>Everyone in an area with a high forecast: no purchase data is used.</summary>
    Area,
    /// <summary>Only buyers of allergy-related categories: purchase-based, so only with the health opt-in.</summary>
    AllergyBuyers,
}
