namespace Automation.Planning.Settings;

/// <summary>What every trigger has: whether it runs, its rank when several fire, and its holdout group.</summary>
/// <param name="Priority">1 goes first when several triggers fire for a customer on the same day.</param>
/// <param name="HoldoutPercent">Share of customers kept from this trigger's messages to measure its uplift.</param>
public sealed record TriggerSettings(bool Enabled, int Priority, double HoldoutPercent, int CooldownDays);
