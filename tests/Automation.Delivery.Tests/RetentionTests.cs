using Automation.Profiles.Changes;
using Automation.Profiles.Erasure;
using Automation.Profiles.Model;
using Automation.Profiles.Storage;
using Automation.Rights.Retention;
using Automation.Testing;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Delivery.Tests;

/// <summary>When a customer was last active, and the cutoff of a retention in months. Pure.</summary>
public sealed class RetentionPolicyTests
{
    private static readonly LineSource Source = new("sha256:customers", 2);

    [Fact]
    public void The_last_activity_is_the_latest_purchase_consent_statement_or_field_update()
    {
        var profile = new CustomerProfile("C1");
        profile.FieldUpdatedAt["email"] = Instant.FromUtc(2024, 1, 1, 0, 0);
        profile.Purchases.LastPurchaseAt = Instant.FromUtc(2024, 5, 1, 0, 0);
        RetentionPolicy.LastActivity(profile).Should().Be(Instant.FromUtc(2024, 5, 1, 0, 0));

        profile.Consents["topic:birthday"] = new ChannelConsent { Explicit = new ConsentStatement(ConsentStatus.OptOut, Instant.FromUtc(2024, 9, 3, 0, 0), "preference page") };
        RetentionPolicy.LastActivity(profile).Should().Be(Instant.FromUtc(2024, 9, 3, 0, 0), "a choice on the preference page is activity");

        profile.Consents["email"] = new ChannelConsent { Group = new ConsentStatement(ConsentStatus.OptIn, Instant.FromUtc(2025, 2, 1, 0, 0), "sendgrid") };
        RetentionPolicy.LastActivity(profile).Should().Be(Instant.FromUtc(2025, 2, 1, 0, 0));
    }

    [Fact]
    public void A_profile_without_any_time_is_never_inactive()
    {
        var profile = new CustomerProfile("C1");
        Automation.Profiles.Merging.ProfileMerger.Apply(profile, new CustomerUpdate("C1", Source, Instant.MinValue) { Email = "undated@example.com", EmailOptIn = true });

        RetentionPolicy.LastActivity(profile).Should().BeNull("a row without updated_at says nothing about when");
        RetentionPolicy.IsInactive(profile, Instant.FromUtc(2030, 1, 1, 0, 0)).Should().BeFalse();
    }

    [Theory]
    [InlineData("2026-06-15T04:00:00Z", 12, "2025-06-15T00:00:00Z")]
    [InlineData("2028-02-29T23:00:00Z", 12, "2027-02-28T00:00:00Z")]
    [InlineData("2026-03-31T10:00:00Z", 1, "2026-02-28T00:00:00Z")]
    [InlineData("2026-06-15T04:00:00Z", 24, "2024-06-15T00:00:00Z")]
    public void The_cutoff_is_the_start_of_the_same_day_so_many_calendar_months_ago_in_UTC(string now, int months, string cutoff)
    {
        RetentionPolicy.Cutoff(NodaTime.Text.InstantPattern.ExtendedIso.Parse(now).Value, months)
            .Should().Be(NodaTime.Text.InstantPattern.ExtendedIso.Parse(cutoff).Value);
    }
}

/// <summary>The retention pass on each store: inactive customers erased, old transaction lines folded, the aggregates exact.</summary>
public abstract class RetentionTests : IDisposable
{
    private readonly TempFolder _folder = new();

    protected abstract Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync(TempFolder folder);

    /// <summary>On 15 June 2026: C000000 and C000001 active this year; C000009 last bought in March 2025; C000008 updated long ago but bought in September 2025; C000007 never dated.</summary>
    private async Task<Pipeline> CustomersAsync()
    {
        var pipeline = new Pipeline(_folder, await StoreSettingsAsync(_folder),
            ("Automation:Retention:InactiveMonths", "12"), ("Automation:Retention:TransactionLineMonths", "24"));
        await pipeline.AddCelebratingCustomersAsync(2);
        await pipeline.Store.ApplyAsync(
        [
            TestChanges.Customer("C000009", Instant.FromUtc(2025, 1, 1, 0, 0), "gone.quiet@example.com"),
            TestChanges.Line("C000009", "T-9", 12m, line: "1", day: new LocalDate(2025, 3, 1)),
            TestChanges.Customer("C000008", Instant.FromUtc(2024, 1, 1, 0, 0), "still.buying@example.com"),
            TestChanges.Line("C000008", "T-8a", 30m, line: "1", day: new LocalDate(2023, 1, 10)),
            TestChanges.Line("C000008", "T-8a", 5m, line: "2", day: new LocalDate(2023, 1, 10)),
            TestChanges.Line("C000008", "T-8b", 20m, line: "1", day: new LocalDate(2025, 9, 1)),
            new CustomerUpdate("C000007", new LineSource("sha256:undated", 2), Instant.MinValue) { Email = "undated@example.com" },
        ]);
        return pipeline;
    }

    [Fact]
    public async Task A_dry_run_lists_who_would_go_and_changes_nothing()
    {
        await using var pipeline = await CustomersAsync();

        var inactive = await pipeline.Get<RetentionService>().FindInactiveAsync().ToListAsync();

        inactive.Should().Equal(new InactiveCustomer(new("C000009"), Instant.FromUtc(2025, 3, 1, 11, 0)));
        (await pipeline.Store.GetAsync("C000009")).Should().NotBeNull();
    }

    [Fact]
    public async Task The_pass_erases_the_inactive_folds_old_lines_into_exact_aggregates_and_a_second_pass_does_nothing()
    {
        await using var pipeline = await CustomersAsync();
        var before = (await pipeline.Store.GetAsync("C000008"))!.Purchases;

        var outcome = (await pipeline.Get<RetentionService>().ApplyAsync())!;

        outcome.InactiveBefore.Should().Be(Instant.FromUtc(2025, 6, 15, 0, 0));
        outcome.Erased.Should().Be(new ErasureTotals(Customers: 1, ErasedBefore: 0, Profiles: 1, TransactionLines: 1, Messages: 0, OutboxFiles: 0));
        outcome.LinesFoldedBefore.Should().Be(Instant.FromUtc(2024, 6, 15, 0, 0));
        outcome.FoldedLines.Should().Be(2);
        (await pipeline.Store.GetAsync("C000009")).Should().BeNull();
        (await pipeline.Get<IErasureStore>().IsErasedAsync(new("C000009"))).Should().BeTrue();
        (await pipeline.Store.GetAsync("C000007")).Should().NotBeNull("when it is unknown whether a customer is inactive, they are kept");
        (await pipeline.Store.GetAsync("C000000")).Should().NotBeNull();
        var after = (await pipeline.Store.GetAsync("C000008"))!.Purchases;
        (after.OrderCount, after.PurchaseDays.Count, after.SpendByCurrency["EUR"].Gross).Should().Be((before.OrderCount, before.PurchaseDays.Count, 55m));
        (await pipeline.Get<ICustomerLines>().ReadLinesAsync("C000008").Select(l => l.TransactionId).ToListAsync()).Should().Equal("T-8b");

        var replay = await pipeline.Store.ApplyAsync([TestChanges.Line("C000008", "T-8a", 30m, line: "1", day: new LocalDate(2023, 1, 10), source: new LineSource("sha256:full-reexport", 40))]);
        replay.Should().Be(new ApplyResult(0, 1), "a folded line sent again is taken for what it almost surely is, a replay");
        (await pipeline.Store.GetAsync("C000008"))!.Purchases.SpendByCurrency["EUR"].Gross.Should().Be(55m);

        var again = (await pipeline.Get<RetentionService>().ApplyAsync())!;
        (again.Erased.Customers, again.FoldedLines).Should().Be((0L, 0L));
    }

    public void Dispose()
    {
        _folder.Dispose();
        GC.SuppressFinalize(this);
    }
}

[Trait(Peers.Trait, Peers.Value)]
public sealed class SqliteRetentionTests : RetentionTests
{
    protected override Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync(TempFolder folder) => TestStores.SqliteAsync(folder);
}

[Trait(Peers.Trait, Peers.Value)]
public sealed class CosmosRetentionTests : RetentionTests
{
    protected override Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync(TempFolder folder) => TestStores.CosmosAsync();
}
