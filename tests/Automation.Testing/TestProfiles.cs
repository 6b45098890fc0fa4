using Automation.Profiles.Model;
using NodaTime;

namespace Automation.Testing;

/// <summary>Profiles as planning sees them, with obviously synthetic people.</summary>
public static class TestProfiles
{
    public static readonly Instant ConsentedAt = Instant.FromUtc(2025, 1, 10, 9, 0);

    /// <summary>A contactable customer who opted in to email through a consent event.</summary>
    public static CustomerProfile Customer(
        string id = "C1", string? timeZone = "Europe/Rome", LocalDate? born = null, string? locale = "en", string? firstName = "Ada")
    {
        var profile = new CustomerProfile(id)
        {
            Email = $"customer.{id.ToLowerInvariant()}@example.com",
            FirstName = firstName,
            TimeZone = timeZone,
            Locale = locale,
            BirthDate = born,
        };
        return profile.WithConsent(ConsentChannels.Email, ConsentStatus.OptIn, ConsentedAt);
    }

    public static CustomerProfile WithConsent(
        this CustomerProfile profile, string channel, ConsentStatus status, Instant at, bool fromExport = false, string source = "test")
    {
        if (!profile.Consents.TryGetValue(channel, out var consent)) profile.Consents[channel] = consent = new ChannelConsent();
        var statement = new ConsentStatement(status, at, source);
        if (fromExport) consent.FromExport = statement;
        else consent.Explicit = statement;
        return profile;
    }

    public static CustomerProfile WithPurchaseDays(this CustomerProfile profile, params LocalDate[] days)
    {
        profile.Purchases.PurchaseDays.AddRange(days.Order());
        profile.Purchases.OrderCount += days.Length;
        return profile;
    }

    /// <summary>Purchase days every <paramref name="interval"/> days, the last one on <paramref name="last"/>.</summary>
    public static CustomerProfile WithRhythm(this CustomerProfile profile, LocalDate last, int interval, int count) =>
        profile.WithPurchaseDays(Enumerable.Range(0, count).Select(i => last.PlusDays(-interval * i)).ToArray());

    public static CustomerProfile WithCategory(this CustomerProfile profile, string category)
    {
        profile.Purchases.Categories[category] = new CategoryActivity { Orders = 1 };
        return profile;
    }
}
