using System.Reflection;
using Automation.Profiles.Model;
using Automation.Profiles.Serialization;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Profiles.Tests;

public sealed class ProfileBinaryTests
{
    [Fact]
    public void A_fully_populated_profile_survives_the_cache_encoding_unchanged()
    {
        var profile = FullyPopulated();

        var decoded = ProfileBinary.Decode(ProfileBinary.Encode(profile));

        ProfileJson.Serialize(decoded).Should().Be(ProfileJson.Serialize(profile));
    }

    [Fact]
    public void An_empty_profile_survives_the_cache_encoding_unchanged()
    {
        var profile = new CustomerProfile("C-empty");

        ProfileJson.Serialize(ProfileBinary.Decode(ProfileBinary.Encode(profile))).Should().Be(ProfileJson.Serialize(profile));
    }

    [Fact]
    public void The_cached_form_is_several_times_smaller_than_the_document()
    {
        var profile = FullyPopulated();

        ProfileBinary.Encode(profile).Length.Should().BeLessThan(ProfileJson.SerializeToUtf8(profile).Length / 2);
    }

    /// <summary>
    /// Guards the codec against drift: a property added to the model without a value here fails this
    /// test, and once given a value, the round trip above fails until the codec carries it.
    /// </summary>
    [Fact]
    public void The_sample_sets_every_property_of_the_model()
    {
        var unset = new List<string>();
        Walk(FullyPopulated(), unset, "profile");

        unset.Should().BeEmpty();
    }

    private static CustomerProfile FullyPopulated()
    {
        var at = Instant.FromUtc(2024, 2, 29, 23, 59, 58) + Duration.FromTicks(1234);
        var profile = new CustomerProfile("C-042")
        {
            Email = "ivan@example.org",
            FirstName = "Иван",
            LastName = "王",
            BirthDate = new LocalDate(1988, 2, 29),
            Locale = "zh-Hans-CN",
            TimeZone = "Asia/Shanghai",
            City = "Milano",
            PostalCode = "20121",
            Country = "IT",
            Coordinates = new GeoPoint(45.4642, 9.19),
            CustomAttributes = { ["loyalty_tier"] = "gold", ["favourite \"shop\""] = "S1" },
            FieldUpdatedAt = { ["email"] = at, ["custom:loyalty_tier"] = at - Duration.FromDays(3) },
            Consents =
            {
                ["email"] = new ChannelConsent
                {
                    Explicit = new ConsentStatement(ConsentStatus.OptOut, at, "unsubscribe link"),
                    FromExport = new ConsentStatement(ConsentStatus.OptIn, at - Duration.FromDays(1), null),
                    Group = new ConsentStatement(ConsentStatus.OptIn, at + Duration.FromHours(1), "sendgrid group_resubscribe"),
                },
            },
        };
        var purchases = profile.Purchases;
        purchases.FirstPurchaseAt = at - Duration.FromDays(400);
        purchases.LastPurchaseAt = at;
        purchases.OrderCount = 7;
        purchases.PurchaseDays = [new(2023, 1, 25), new(2024, 2, 29)];
        purchases.Receipts = [new(at - Duration.FromDays(400), "EUR", 20m), new(at, "RUB", 150.75m)];
        purchases.SpendByCurrency["EUR"] = new CurrencySpend { Orders = 5, Gross = 123.45m, RefundCount = 1, Refunded = 9.99m, FirstDayGross = 20m };
        purchases.SpendByCurrency["RUB"] = new CurrencySpend { Orders = 2, Gross = 5000m, RefundCount = 2, Refunded = 700m, FirstDayGross = 150m };
        var allergy = new CategoryActivity { Orders = 3 };
        allergy.NetSpendByCurrency["EUR"] = 15.5m;
        allergy.NetSpendByCurrency["RUB"] = -100m;
        purchases.Categories["allergy"] = allergy;
        return profile;
    }

    private static void Walk(object value, List<string> unset, string path)
    {
        foreach (var property in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.SetMethod is null && property.Name != nameof(CustomerProfile.CustomerId)) continue;
            var current = property.GetValue(value);
            var name = $"{path}.{property.Name}";
            switch (current)
            {
                case null:
                    unset.Add(name);
                    break;
                case System.Collections.ICollection { Count: 0 }:
                    unset.Add(name);
                    break;
                case System.Collections.IDictionary dictionary:
                    foreach (var entry in dictionary.Values) if (entry is not null && !entry.GetType().IsPrimitive && entry is not string and not decimal and not Instant) Walk(entry, unset, name + "[]");
                    break;
                case PurchaseSummary or ChannelConsent or CurrencySpend or CategoryActivity:
                    Walk(current, unset, name);
                    break;
                case string text:
                    if (text.Length == 0) unset.Add(name);
                    break;
                default:
                    if (current.GetType().IsValueType && Equals(current, Activator.CreateInstance(current.GetType()))) unset.Add(name);
                    break;
            }
        }
    }
}
