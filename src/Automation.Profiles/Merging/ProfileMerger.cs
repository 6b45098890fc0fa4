using System.Globalization;
using Automation.Profiles.Changes;
using Automation.Profiles.Model;
using NodaTime;
using NodaTime.Text;

namespace Automation.Profiles.Merging;

/// <summary>
/// Pure merge rules. Every rule is commutative and idempotent, so files may arrive in any order, be
/// re-dropped, or be replayed after a crash and the profile comes out the same.
/// </summary>
public static class ProfileMerger
{
    public static void Apply(CustomerProfile profile, CustomerUpdate update)
    {
        var at = update.UpdatedAt;
        SetText(profile, "email", update.Email, at, p => p.Email, (p, v) => p.Email = v);
        SetText(profile, "first_name", update.FirstName, at, p => p.FirstName, (p, v) => p.FirstName = v);
        SetText(profile, "last_name", update.LastName, at, p => p.LastName, (p, v) => p.LastName = v);
        SetValue(profile, "birth_date", update.BirthDate, at, p => p.BirthDate, (p, v) => p.BirthDate = v, FormatDate);
        SetText(profile, "locale", update.Locale, at, p => p.Locale, (p, v) => p.Locale = v);
        SetText(profile, "time_zone", update.TimeZone, at, p => p.TimeZone, (p, v) => p.TimeZone = v);
        SetText(profile, "city", update.City, at, p => p.City, (p, v) => p.City = v);
        SetText(profile, "postal_code", update.PostalCode, at, p => p.PostalCode, (p, v) => p.PostalCode = v);
        SetText(profile, "country", update.Country, at, p => p.Country, (p, v) => p.Country = v);
        SetValue(profile, "coordinates", update.Coordinates, at, p => p.Coordinates, (p, v) => p.Coordinates = v, FormatPoint);

        foreach (var (name, value) in update.CustomAttributes)
        {
            SetText(profile, "custom:" + name, value, at,
                p => p.CustomAttributes.GetValueOrDefault(name),
                (p, v) => p.CustomAttributes[name] = v);
        }

        if (update.EmailOptIn is { } emailOptIn)
        {
            ApplyConsent(profile, ConsentChannels.Email, ConsentOrigin.CustomerExport,
                new ConsentStatement(emailOptIn ? ConsentStatus.OptIn : ConsentStatus.OptOut, at, "customers export"));
        }

        if (update.HealthPersonalizationOptIn is { } healthOptIn)
        {
            ApplyConsent(profile, ConsentChannels.HealthPersonalization, ConsentOrigin.CustomerExport,
                new ConsentStatement(healthOptIn ? ConsentStatus.OptIn : ConsentStatus.OptOut, at, "customers export"));
        }
    }

    public static void Apply(CustomerProfile profile, ConsentChange change)
    {
        ApplyConsent(profile, change.Channel, change.Origin,
            new ConsentStatement(change.Status, change.OccurredAt, change.ConsentSource));

        // A consent event that names the address makes a transactions-only profile contactable, but
        // never overrides an address a customers export set more recently.
        SetText(profile, "email", change.Email, change.OccurredAt, p => p.Email, (p, v) => p.Email = v);
    }

    /// <summary>Adds one transaction line the store has just recorded for the first time.</summary>
    public static void Apply(CustomerProfile profile, TransactionLine line, TransactionNovelty novelty)
    {
        var purchases = profile.Purchases;
        if (!purchases.SpendByCurrency.TryGetValue(line.Currency, out var spend))
        {
            // A currency new to the customer had no purchases on their first day.
            spend = new CurrencySpend { FirstDayGross = 0 };
            purchases.SpendByCurrency[line.Currency] = spend;
        }

        var category = line.Category is null ? null : GetOrAdd(purchases.Categories, line.Category);

        if (line.IsRefund)
        {
            spend.RefundCount++;
            spend.Refunded += -line.Amount;
        }
        else
        {
            spend.Gross += line.Amount;
            AddToFirstDay(purchases, spend, line);
            var instant = line.OccurredAt.ToInstant();
            if (purchases.FirstPurchaseAt is null || instant < purchases.FirstPurchaseAt) purchases.FirstPurchaseAt = instant;
            if (purchases.LastPurchaseAt is null || instant > purchases.LastPurchaseAt) purchases.LastPurchaseAt = instant;
            AddDay(purchases.PurchaseDays, line.OccurredAt.Date);
            AddReceipt(purchases.Receipts, new Receipt(instant, line.Currency, line.Amount));
            if (novelty.IsNewOrder)
            {
                purchases.OrderCount++;
                spend.Orders++;
            }

            if (category is not null && novelty.IsNewCategoryInOrder)
            {
                category.Orders++;
            }
        }

        if (category is not null)
        {
            category.NetSpendByCurrency.Add(line.Currency, line.Amount);
        }
    }

    public static void Apply(CustomerProfile profile, ProfileChange change, TransactionNovelty novelty)
    {
        switch (change)
        {
            case CustomerUpdate update: Apply(profile, update); break;
            case ConsentChange consent: Apply(profile, consent); break;
            case TransactionLine line: Apply(profile, line, novelty); break;
            default: throw new ArgumentException($"Unknown change type {change.GetType().Name}.", nameof(change));
        }
    }

    private static void ApplyConsent(CustomerProfile profile, string channel, ConsentOrigin origin, ConsentStatement statement)
    {
        var consent = GetOrAdd(profile.Consents, channel);
        switch (origin)
        {
            case ConsentOrigin.ConsentEvent when Supersedes(statement, consent.Explicit): consent.Explicit = statement; break;
            case ConsentOrigin.CustomerExport when Supersedes(statement, consent.FromExport): consent.FromExport = statement; break;
            case ConsentOrigin.UnsubscribeGroup when Supersedes(statement, consent.Group): consent.Group = statement; break;
        }
    }

    /// <summary>
    /// Later wins; at the same instant the stronger refusal wins (spam report, bounce, opt-out, opt-in, in
    /// that order), then the source name decides (for determinism).
    /// </summary>
    internal static bool Supersedes(ConsentStatement candidate, ConsentStatement? current)
    {
        if (current is null) return true;
        if (candidate.At != current.At) return candidate.At > current.At;
        if (candidate.Status != current.Status) return candidate.Status > current.Status;
        return string.CompareOrdinal(candidate.Source, current.Source) > 0;
    }

    private static void SetText(
        CustomerProfile profile, string field, string? value, Instant at,
        Func<CustomerProfile, string?> get, Action<CustomerProfile, string> set)
    {
        if (value is null) return;
        if (profile.FieldUpdatedAt.TryGetValue(field, out var known))
        {
            if (at < known) return;

            // Same instant, two values: pick one by ordinal order so the outcome does not depend on file order.
            if (at == known && get(profile) is { } current && string.CompareOrdinal(value, current) <= 0) return;
        }

        set(profile, value);
        profile.FieldUpdatedAt[field] = at;
    }

    private static void SetValue<T>(
        CustomerProfile profile, string field, T? value, Instant at,
        Func<CustomerProfile, T?> get, Action<CustomerProfile, T> set, Func<T, string> format)
        where T : struct
    {
        if (value is not { } newValue) return;
        SetText(profile, field, format(newValue), at,
            p => get(p) is { } v ? format(v) : null,
            (p, _) => set(p, newValue));
    }

    private static string FormatDate(LocalDate date) => LocalDatePattern.Iso.Format(date);

    private static string FormatPoint(GeoPoint point) =>
        string.Create(CultureInfo.InvariantCulture, $"{point.Latitude:R},{point.Longitude:R}");

    /// <summary>Keeps each currency's gross of the first purchase day; call before the line's day is added.</summary>
    private static void AddToFirstDay(PurchaseSummary purchases, CurrencySpend spend, TransactionLine line)
    {
        var day = line.OccurredAt.Date;
        var days = purchases.PurchaseDays;
        if (days.Count == 0 || day < days[0])
        {
            // A new first day: what was bought on the old one is now repeat spend, in every currency.
            foreach (var other in purchases.SpendByCurrency.Values) other.FirstDayGross = 0;
        }

        if (days.Count == 0 || day <= days[0]) spend.FirstDayGross += line.Amount;
    }

    private static void AddDay(List<LocalDate> days, LocalDate day)
    {
        if (days.Count == 0 || days[^1] < day)
        {
            days.Add(day);
            return;
        }

        var index = days.BinarySearch(day);
        if (index < 0) days.Insert(~index, day);
    }

    /// <summary>
    /// Keeps the receipts in order of instant, then currency; a line at a receipt's instant and currency adds
    /// to it. Only the <see cref="PurchaseSummary.ReceiptDays"/> up to the newest receipt are kept, which
    /// bounds the document whatever the customer's history, and gives the same receipts in any order of arrival.
    /// </summary>
    private static void AddReceipt(List<Receipt> receipts, Receipt receipt)
    {
        var index = receipts.Count;
        while (index > 0 && Precedes(receipt, receipts[index - 1])) index--;
        if (index > 0 && receipts[index - 1].At == receipt.At && receipts[index - 1].Currency == receipt.Currency)
        {
            receipts[index - 1] = receipts[index - 1] with { Gross = receipts[index - 1].Gross + receipt.Gross };
            return;
        }

        receipts.Insert(index, receipt);
        var oldest = receipts[^1].At - Duration.FromDays(PurchaseSummary.ReceiptDays);
        var expired = 0;
        while (expired < receipts.Count && receipts[expired].At < oldest) expired++;
        if (expired > 0) receipts.RemoveRange(0, expired);
    }

    private static bool Precedes(Receipt candidate, Receipt other) =>
        candidate.At != other.At ? candidate.At < other.At : string.CompareOrdinal(candidate.Currency, other.Currency) < 0;

    private static TValue GetOrAdd<TValue>(OrdinalMap<TValue> map, string key)
        where TValue : new()
    {
        if (!map.TryGetValue(key, out var value))
        {
            value = new TValue();
            map[key] = value;
        }

        return value;
    }
}
