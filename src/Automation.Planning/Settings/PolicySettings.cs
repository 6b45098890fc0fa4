using NodaTime;

namespace Automation.Planning.Settings;

public sealed record PolicySettings(
    DateTimeZone DefaultTimeZone,
    SendWindow SendWindow,
    int FrequencyCapMessages,
    int FrequencyCapDays,
    string HoldoutSalt);
