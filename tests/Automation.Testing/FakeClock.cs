using NodaTime;

namespace Automation.Testing;

/// <summary>A clock tests set by hand (NodaTime.Testing is not available from the package mirror).</summary>
public sealed class FakeClock(Instant now) : IClock
{
    public Instant Now { get; set; } = now;

    public static FakeClock At(int year, int month, int day) => new(Instant.FromUtc(year, month, day, 12, 0));

    public Instant GetCurrentInstant() => Now;
}
