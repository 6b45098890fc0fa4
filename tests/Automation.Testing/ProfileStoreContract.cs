using Automation.Ingestion;
using Automation.Ingestion.Formats;
using Automation.Profiles.Changes;
using Automation.Profiles.Serialization;
using Automation.Profiles.Storage;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Testing;

/// <summary>
/// What every store backend must do. A backend's test class inherits this and supplies fresh, empty
/// stores; the same facts then hold for SQLite and Cosmos DB alike.
/// </summary>
public abstract class ProfileStoreContract
{
    /// <summary>A new, empty store.</summary>
    protected abstract (ICustomerProfileStore Store, IIngestionLedger Ledger) CreateStore();

    private ICustomerProfileStore NewStore() => CreateStore().Store;

    [Fact]
    public async Task An_ingestion_claim_is_held_by_one_run_renewed_by_it_released_by_it_and_taken_over_once_it_lapses()
    {
        var ledger = CreateStore().Ledger;
        var now = Instant.FromUtc(2026, 12, 1, 8, 0);
        var lease = Duration.FromMinutes(2);

        (await ledger.TryClaimAsync("sha256:c1", "run-a", now, now + lease)).Should().BeTrue("nobody holds it");
        (await ledger.TryClaimAsync("sha256:c1", "run-b", now, now + lease)).Should().BeFalse("run a holds it");
        (await ledger.TryClaimAsync("sha256:c2", "run-b", now, now + lease)).Should().BeTrue("another content is another claim");
        (await ledger.TryClaimAsync("sha256:c1", "run-a", now + Duration.FromMinutes(1), now + Duration.FromMinutes(3))).Should().BeTrue("its own claim is renewed");
        (await ledger.TryClaimAsync("sha256:c1", "run-b", now + Duration.FromMinutes(2.5), now + Duration.FromMinutes(4))).Should().BeFalse("the renewal holds past the first lease");
        await ledger.ReleaseAsync("sha256:c1", "run-b");
        (await ledger.TryClaimAsync("sha256:c1", "run-b", now + Duration.FromMinutes(2.5), now + Duration.FromMinutes(4))).Should().BeFalse("only the holder releases");
        (await ledger.TryClaimAsync("sha256:c1", "run-b", now + Duration.FromMinutes(3.5), now + Duration.FromMinutes(6))).Should().BeTrue("a lapsed claim is taken over");
        await ledger.ReleaseAsync("sha256:c1", "run-b");
        (await ledger.TryClaimAsync("sha256:c1", "run-c", now + Duration.FromMinutes(3.5), now + Duration.FromMinutes(6))).Should().BeTrue("released");
    }

    [Fact]
    public async Task An_unknown_customer_reads_as_null()
    {
        (await NewStore().GetAsync("nobody")).Should().BeNull();
    }

    [Fact]
    public async Task A_customer_update_is_stored_and_read_back_by_id()
    {
        var store = NewStore();
        var result = await store.ApplyAsync([TestChanges.Customer("C1", TestChanges.At(2024, 1, 1), "ada@example.com", "Ada")]);

        result.Should().Be(new ApplyResult(1, 0));
        var profile = await store.GetAsync("C1");
        profile!.Email.Should().Be("ada@example.com");
        profile.FirstName.Should().Be("Ada");
    }

    [Fact]
    public async Task A_transaction_line_recorded_from_another_source_is_a_duplicate_and_not_counted_again()
    {
        var store = NewStore();
        var line = TestChanges.Line("C1", "T1", 10m);
        await store.ApplyAsync([line]);

        var again = await store.ApplyAsync([line with { Source = new LineSource("sha256:file-b", 7) }]);

        again.Should().Be(new ApplyResult(0, 1));
        var profile = await store.GetAsync("C1");
        profile!.Purchases.OrderCount.Should().Be(1);
        profile.Purchases.SpendByCurrency["EUR"].Gross.Should().Be(10m);
    }

    [Fact]
    public async Task Replaying_the_same_line_of_the_same_file_counts_as_applied_but_changes_nothing()
    {
        var store = NewStore();
        var line = TestChanges.Line("C1", "T1", 10m);
        await store.ApplyAsync([line]);
        var before = ProfileJson.Serialize((await store.GetAsync("C1"))!);

        var replay = await store.ApplyAsync([line]);

        replay.Should().Be(new ApplyResult(1, 0), "a resumed run must report the same counts as a clean one");
        ProfileJson.Serialize((await store.GetAsync("C1"))!).Should().Be(before);
    }

    [Fact]
    public async Task Lines_of_one_order_count_one_order_and_one_order_per_category()
    {
        var store = NewStore();
        await store.ApplyAsync(
        [
            TestChanges.Line("C1", "T1", 10m, line: "1", category: "skincare"),
            TestChanges.Line("C1", "T1", 5m, line: "2", category: "skincare"),
            TestChanges.Line("C1", "T1", 7m, line: "3", category: "allergy"),
        ]);
        await store.ApplyAsync([TestChanges.Line("C1", "T2", 3m, category: "skincare", day: new LocalDate(2024, 3, 9))]);

        var purchases = (await store.GetAsync("C1"))!.Purchases;
        purchases.OrderCount.Should().Be(2);
        purchases.SpendByCurrency["EUR"].Gross.Should().Be(25m);
        purchases.Categories["skincare"].Orders.Should().Be(2);
        purchases.Categories["allergy"].Orders.Should().Be(1);
        purchases.PurchaseDays.Should().Equal(new LocalDate(2024, 3, 1), new LocalDate(2024, 3, 9));
    }

    [Fact]
    public async Task ReadAll_streams_every_profile_once()
    {
        var store = NewStore();
        var ids = Enumerable.Range(1, 250).Select(i => $"C{i:D4}").Reverse().ToArray();
        await store.ApplyAsync(ids.Select(id => (ProfileChange)TestChanges.Customer(id, TestChanges.At(2024, 1, 1))).ToArray());

        var read = new List<string>();
        await foreach (var profile in store.ReadAllAsync()) read.Add(profile.CustomerId);

        read.Should().BeEquivalentTo(ids).And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Concurrent_batches_with_the_same_line_count_it_exactly_once()
    {
        var store = NewStore();
        var batches = Enumerable.Range(0, 8)
            .Select(i => store.ApplyAsync([TestChanges.Line("C1", "T1", 10m, source: new LineSource($"sha256:file-{i}", 2))]))
            .ToArray();

        var results = await Task.WhenAll(batches);

        results.Sum(r => r.Applied).Should().Be(1);
        results.Sum(r => r.Duplicates).Should().Be(7);
        (await store.GetAsync("C1"))!.Purchases.SpendByCurrency["EUR"].Gross.Should().Be(10m);
    }

    [Fact]
    public async Task A_customer_whose_changes_fail_keeps_its_previous_state()
    {
        var store = NewStore();
        await store.ApplyAsync([TestChanges.Customer("C1", TestChanges.At(2024, 1, 1), "old@example.com")]);

        var failing = async () => await store.ApplyAsync(
        [
            TestChanges.Customer("C1", TestChanges.At(2024, 2, 1), "new@example.com"),
            new UnknownChange("C1"),
        ]);

        await failing.Should().ThrowAsync<ArgumentException>();
        (await store.GetAsync("C1"))!.Email.Should().Be("old@example.com", "a change of one customer applies with all its effects or not at all");
    }

    [Fact]
    public async Task A_writer_disposed_without_commit_leaves_no_trace()
    {
        var store = NewStore();
        await using (var writer = await store.OpenWriterAsync())
        {
            await writer.ApplyAsync([TestChanges.Customer("C1", TestChanges.At(2024, 1, 1), "ada@example.com"), TestChanges.Line("C1", "T1", 10m)]);
            (await store.GetAsync("C1")).Should().BeNull("nothing is visible before the commit");
        }

        (await store.GetAsync("C1")).Should().BeNull();
        (await store.ApplyAsync([TestChanges.Line("C1", "T1", 10m, source: new LineSource("sha256:file-b", 9))]))
            .Should().Be(new ApplyResult(1, 0), "the discarded line was never recorded");
    }

    [Fact]
    public async Task A_writer_keeps_working_across_commits_and_sees_its_own_uncommitted_lines()
    {
        var store = NewStore();
        await using var writer = await store.OpenWriterAsync();
        await writer.ApplyAsync([TestChanges.Line("C1", "T1", 10m)]);
        await writer.CommitAsync();
        (await store.GetAsync("C1"))!.Purchases.OrderCount.Should().Be(1);

        await writer.ApplyAsync(
        [
            TestChanges.Line("C1", "T2", 5m, day: new LocalDate(2024, 3, 2)),
            TestChanges.Line("C1", "T2", 5m, day: new LocalDate(2024, 3, 2), source: new LineSource("sha256:file-c", 4)),
        ]);
        var second = await writer.CommitAsync();

        second.Should().Be(new ApplyResult(1, 1));
        var purchases = (await store.GetAsync("C1"))!.Purchases;
        purchases.OrderCount.Should().Be(2);
        purchases.SpendByCurrency["EUR"].Gross.Should().Be(15m);
    }

    [Fact]
    public async Task The_ledger_remembers_completed_files_by_content()
    {
        var (_, ledger) = CreateStore();
        (await ledger.FindAsync("sha256:abc")).Should().BeNull();

        var file = new IngestedFile("sha256:abc", "customers.csv", ExportKind.Customers, 10, 8, 2, 1, 0, Instant.FromUtc(2024, 1, 1, 0, 0));
        await ledger.RecordAsync(file);
        await ledger.RecordAsync(file with { Name = "copy.csv" });

        (await ledger.FindAsync("sha256:abc")).Should().Be(file, "the first completion is kept");
    }

    private sealed record UnknownChange(string CustomerId) : ProfileChange(CustomerId, TestChanges.FileA);
}
