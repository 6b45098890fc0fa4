using Automation.Profiles.Changes;
using Automation.Profiles.Churn;
using Automation.Profiles.Merging;
using Automation.Profiles.Model;
using Automation.Profiles.Serialization;
using Automation.Testing;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Profiles.Tests;

/// <summary>The merge rules are pure: any order of the same changes gives the same document.</summary>
public sealed class ProfileMergerTests
{
    [Fact]
    public void Customer_updates_merge_to_the_same_profile_in_every_order()
    {
        var updates = new[]
        {
            TestChanges.Customer("C1", TestChanges.At(2024, 1, 1), "a@example.com", "Ada") with { City = "Roma" },
            TestChanges.Customer("C1", TestChanges.At(2024, 3, 1), "b@example.com") with { BirthDate = new LocalDate(1990, 5, 1) },
            TestChanges.Customer("C1", TestChanges.At(2024, 2, 1), firstName: "Adele") with { City = "Milano", EmailOptIn = true },
            // Same instant, different value: decided by value, not by arrival.
            TestChanges.Customer("C1", TestChanges.At(2024, 3, 1), "c@example.com"),
        };

        var documents = Permutations(updates).Select(order =>
        {
            var profile = new CustomerProfile("C1");
            foreach (var update in order) ProfileMerger.Apply(profile, update);
            return ProfileJson.Serialize(profile);
        }).Distinct().ToList();

        documents.Should().ContainSingle();
        var merged = ProfileJson.Deserialize(documents[0]);
        merged.Email.Should().Be("c@example.com");
        merged.FirstName.Should().Be("Adele");
        merged.City.Should().Be("Milano");
        merged.BirthDate.Should().Be(new LocalDate(1990, 5, 1));
    }

    [Theory]
    [InlineData(ConsentStatus.OptIn, ConsentStatus.OptOut, false)]
    [InlineData(ConsentStatus.OptOut, ConsentStatus.OptIn, false)]
    public void At_the_same_instant_an_opt_out_wins(ConsentStatus first, ConsentStatus second, bool optedIn)
    {
        var profile = new CustomerProfile("C1");
        ProfileMerger.Apply(profile, TestChanges.Consent("C1", first, TestChanges.At(2024, 1, 1)));
        ProfileMerger.Apply(profile, TestChanges.Consent("C1", second, TestChanges.At(2024, 1, 1)));

        profile.Consents[ConsentChannels.Email].IsOptedIn.Should().Be(optedIn);
    }

    [Fact]
    public void A_consent_channel_never_heard_of_is_not_an_opt_in()
    {
        new ChannelConsent().IsOptedIn.Should().BeFalse();
    }

    [Fact]
    public void Churn_inputs_count_distinct_days_up_to_the_evaluation_date()
    {
        var purchases = new PurchaseSummary
        {
            PurchaseDays = [new(2024, 1, 1), new(2024, 1, 15), new(2024, 2, 14), new(2024, 6, 1)],
        };

        ChurnInputs.AsOf(purchases, new LocalDate(2024, 3, 1)).Should().Be(new ChurnInputs(X: 2, RecencyDays: 44, AgeDays: 60));
        ChurnInputs.AsOf(purchases, new LocalDate(2023, 12, 31)).Should().BeNull();
        purchases.MedianDaysBetweenPurchases.Should().Be(30, "the gaps are 14, 30 and 108 days");
        new PurchaseSummary { PurchaseDays = [new(2024, 1, 1)] }.MedianDaysBetweenPurchases.Should().BeNull();
        new PurchaseSummary { PurchaseDays = [new(2024, 1, 1), new(2024, 1, 11), new(2024, 1, 31)] }
            .MedianDaysBetweenPurchases.Should().Be(15, "with an even number of gaps the median is their mean");
    }

    [Fact]
    public void Two_orders_on_one_day_are_one_purchase_day()
    {
        var profile = new CustomerProfile("C1");
        ProfileMerger.Apply(profile, TestChanges.Line("C1", "T1", 5m), new TransactionNovelty(true, false));
        ProfileMerger.Apply(profile, TestChanges.Line("C1", "T2", 7m), new TransactionNovelty(true, false));

        profile.Purchases.OrderCount.Should().Be(2);
        profile.Purchases.PurchaseDays.Should().ContainSingle();
        ChurnInputs.AsOf(profile.Purchases, new LocalDate(2024, 3, 8))!.Value.X.Should().Be(0);
    }

    [Fact]
    public void Repeat_spend_leaves_out_the_first_purchase_day_whatever_order_the_lines_arrive_in()
    {
        var lines = new[]
        {
            TestChanges.Line("C1", "T1", 30m, day: new LocalDate(2024, 3, 5)),
            TestChanges.Line("C1", "T2", 12m, day: new LocalDate(2024, 3, 9)),
            TestChanges.Line("C1", "T3", 8m, day: new LocalDate(2024, 3, 1)),
            TestChanges.Line("C1", "T4", 2m, day: new LocalDate(2024, 3, 1)),
            TestChanges.Line("C1", "T5", 900m, day: new LocalDate(2024, 3, 20), currency: "RUB"),
        };

        var outcomes = Permutations(lines).Select(order =>
        {
            var profile = new CustomerProfile("C1");
            foreach (var line in order) ProfileMerger.Apply(profile, line, new TransactionNovelty(true, false));
            return (profile.Purchases.SpendByCurrency["EUR"].RepeatGross, profile.Purchases.SpendByCurrency["RUB"].RepeatGross);
        }).Distinct().ToList();

        // The first day (1 March, 10 EUR) is the acquisition purchase; 5 and 9 March are repeat purchases.
        outcomes.Should().Equal((42m, 900m));
    }

    [Fact]
    public void Receipts_keep_each_purchase_instant_and_amount_in_time_order_whatever_order_the_lines_arrive_in()
    {
        var lines = new ProfileChange[]
        {
            TestChanges.Line("C1", "T1", 30m, line: "1", day: new LocalDate(2024, 3, 5)),
            // Two lines of one order at one instant are one receipt; the same instant in another currency is another.
            TestChanges.Line("C1", "T1", 4.5m, line: "2", day: new LocalDate(2024, 3, 5)),
            TestChanges.Line("C1", "T2", 900m, day: new LocalDate(2024, 3, 5), currency: "RUB"),
            TestChanges.Line("C1", "T3", 8m, day: new LocalDate(2024, 3, 5), time: new LocalTime(9, 30)),
            // A refund is not a receipt.
            TestChanges.Line("C1", "T4", -30m, day: new LocalDate(2024, 3, 6)),
        };

        var outcomes = Permutations(lines).Select(order =>
        {
            var profile = new CustomerProfile("C1");
            foreach (var line in order) ProfileMerger.Apply(profile, line, new TransactionNovelty(true, false));
            return ProfileJson.Serialize(profile);
        }).Distinct().ToList();

        var receipts = ProfileJson.Deserialize(outcomes.Should().ContainSingle().Subject).Purchases.Receipts;
        var noon = Instant.FromUtc(2024, 3, 5, 11, 0);
        receipts.Should().Equal(new Receipt(Instant.FromUtc(2024, 3, 5, 8, 30), "EUR", 8m), new Receipt(noon, "EUR", 34.5m), new Receipt(noon, "RUB", 900m));
    }

    [Fact]
    public void Receipts_reach_back_two_years_from_the_newest_in_any_order_of_arrival()
    {
        var lines = new ProfileChange[]
        {
            TestChanges.Line("C1", "T1", 10m, day: new LocalDate(2022, 1, 10)),
            TestChanges.Line("C1", "T2", 20m, day: new LocalDate(2023, 6, 1)),
            TestChanges.Line("C1", "T3", 30m, day: new LocalDate(2024, 3, 1)),
        };

        var outcomes = Permutations(lines).Select(order =>
        {
            var profile = new CustomerProfile("C1");
            foreach (var line in order) ProfileMerger.Apply(profile, line, new TransactionNovelty(true, false));
            return string.Join(" ", profile.Purchases.Receipts.Select(r => r.Gross)) + " / " + profile.Purchases.PurchaseDays.Count;
        }).Distinct().ToList();

        outcomes.Should().Equal(["20 30 / 3"], "the 2022 purchase is more than 730 days before the newest; its day still counts for the churn model");
    }

    [Fact]
    public void A_profile_written_before_first_day_spend_was_kept_has_unknown_repeat_spend_until_an_earlier_day_arrives()
    {
        var profile = new CustomerProfile("C1");
        ProfileMerger.Apply(profile, TestChanges.Line("C1", "T1", 30m, day: new LocalDate(2024, 3, 5)), new TransactionNovelty(true, false));
        profile.Purchases.SpendByCurrency["EUR"].FirstDayGross = null;
        ProfileMerger.Apply(profile, TestChanges.Line("C1", "T2", 10m, day: new LocalDate(2024, 3, 9)), new TransactionNovelty(true, false));

        profile.Purchases.SpendByCurrency["EUR"].RepeatGross.Should().BeNull();

        ProfileMerger.Apply(profile, TestChanges.Line("C1", "T0", 5m, day: new LocalDate(2024, 2, 1)), new TransactionNovelty(true, false));
        profile.Purchases.SpendByCurrency["EUR"].RepeatGross.Should().Be(40m);
    }

    [Fact]
    public void The_document_carries_the_derived_figures_readers_need()
    {
        var profile = new CustomerProfile("C1");
        ProfileMerger.Apply(profile, TestChanges.Line("C1", "T1", 30m, day: new LocalDate(2024, 3, 1)), new TransactionNovelty(true, false));
        ProfileMerger.Apply(profile, TestChanges.Line("C1", "T2", 10m, day: new LocalDate(2024, 3, 11)), new TransactionNovelty(true, false));
        ProfileMerger.Apply(profile, TestChanges.Line("C1", "R1", -5m, day: new LocalDate(2024, 3, 12)), new TransactionNovelty(true, false));

        var json = ProfileJson.Serialize(profile);

        json.Should().Contain("\"net\":35").And.Contain("\"averageOrderValue\":20").And.Contain("\"medianDaysBetweenPurchases\":10");
        ProfileJson.Serialize(ProfileJson.Deserialize(json)).Should().Be(json, "derived figures are recomputed, not read back");
    }

    [Fact]
    public void The_profile_document_round_trips_through_json()
    {
        var profile = new CustomerProfile("C1") { Email = "a@example.com", BirthDate = new LocalDate(2000, 2, 29), Coordinates = new GeoPoint(45.46, 9.19) };
        ProfileMerger.Apply(profile, TestChanges.Line("C1", "T1", 5m, category: "allergy"), new TransactionNovelty(true, true));
        ProfileMerger.Apply(profile, TestChanges.Consent("C1", ConsentStatus.OptIn, TestChanges.At(2024, 1, 1)));

        var json = ProfileJson.Serialize(profile);

        ProfileJson.Serialize(ProfileJson.Deserialize(json)).Should().Be(json);
        json.Should().Contain("\"birthDate\":\"2000-02-29\"");
    }

    private static IEnumerable<T[]> Permutations<T>(T[] items) =>
        items.Length <= 1
            ? [items]
            : items.SelectMany((item, i) => Permutations(items.Where((_, j) => j != i).ToArray()).Select(rest => (T[])[item, .. rest]));
}
