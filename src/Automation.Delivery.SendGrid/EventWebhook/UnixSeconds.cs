using NodaTime;

namespace Automation.Delivery.SendGrid.EventWebhook;

/// <summary>SendGrid's timestamps are Unix seconds; a value outside years 1–9999 is not a time at all.</summary>
internal static class UnixSeconds
{
    private static readonly long Min = DateTimeOffset.MinValue.ToUnixTimeSeconds();
    private static readonly long Max = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    public static Instant? ToInstant(long seconds) => seconds >= Min && seconds <= Max ? Instant.FromUnixTimeSeconds(seconds) : null;
}
