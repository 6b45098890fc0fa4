using Automation.Profiles.Model;
using NodaTime;

namespace Automation.Rights.Retention;

/// <summary>When a customer was last active, and whether that is too long ago to keep them. Pure.</summary>
public static class RetentionPolicy
{
    /// <summary>
    /// The latest of the customer's last purchase, any consent statement on any channel (an export's
    /// opt-in column, an explicit statement, a provider's report, a choice on the preference page) and
    /// any profile field's update; <c>null</c> when the profile carries no time at all.
    /// </summary>
    /// <remarks>A row without <c>updated_at</c> is stored as of <see cref="Instant.MinValue"/>: that is no time, not an old one.</remarks>
    public static Instant? LastActivity(CustomerProfile profile)
    {
        var last = profile.Purchases.LastPurchaseAt;
        void Consider(Instant at)
        {
            if (at != Instant.MinValue && (last is null || at > last)) last = at;
        }

        foreach (var (_, consent) in profile.Consents)
        {
            foreach (var statement in new[] { consent.Explicit, consent.FromExport, consent.Group })
            {
                if (statement is not null) Consider(statement.At);
            }
        }

        foreach (var (_, updated) in profile.FieldUpdatedAt) Consider(updated);
        return last;
    }

    /// <summary>The start (UTC) of the day <paramref name="months"/> calendar months before today: activity before it is too old.</summary>
    public static Instant Cutoff(Instant now, int months) =>
        now.InUtc().Date.PlusMonths(-months).AtStartOfDayInZone(DateTimeZone.Utc).ToInstant();

    /// <summary>
    /// Inactive since before <paramref name="cutoff"/>. A profile without any time is kept: when it is
    /// unknown whether a customer is inactive, erasing them cannot be undone and keeping them can.
    /// </summary>
    public static bool IsInactive(CustomerProfile profile, Instant cutoff) => LastActivity(profile) is { } last && last < cutoff;
}
