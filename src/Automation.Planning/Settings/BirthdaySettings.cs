namespace Automation.Planning.Settings;

public sealed record BirthdaySettings(TriggerSettings Trigger, int DaysBefore, LeapDayRule LeapDayRule, int MinPlausibleAge, int MaxPlausibleAge);
