using Automation.Profiles.Model;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Ingestion.Tests;

public sealed class IngestionRulesTests : IDisposable
{
    private readonly IngestionHarness _h = new();

    private const string TransactionsHeader = "transaction_id,line,customer_id,occurred_at,amount,currency,category";

    [Fact]
    public async Task Reingesting_the_same_content_is_skipped_at_once_even_under_another_name()
    {
        var content = $"{TransactionsHeader}\nT1,,C1,2024-03-01T12:00:00Z,10.00,EUR,skincare\n";
        var first = await _h.IngestAsync(_h.Folder.Write("transactions-a.csv", content));

        var again = await _h.IngestAsync(_h.Folder.File("transactions-a.csv"));
        var renamed = await _h.IngestAsync(_h.Folder.Write("transactions-copy.csv", content));

        first.Status.Should().Be(FileStatus.Completed);
        again.Status.Should().Be(FileStatus.Skipped);
        renamed.Status.Should().Be(FileStatus.Skipped);
        (await _h.ProfileAsync("C1")).Purchases.SpendByCurrency["EUR"].Gross.Should().Be(10m);
    }

    [Fact]
    public async Task An_overlapping_later_export_never_double_counts_a_transaction_line()
    {
        await _h.IngestAsync(_h.Folder.Write("transactions-1.csv",
            $"{TransactionsHeader}\nT1,1,C1,2024-03-01T12:00:00Z,10.00,EUR,skincare\nT1,2,C1,2024-03-01T12:00:00Z,5.00,EUR,allergy\n"));

        var overlap = await _h.IngestAsync(_h.Folder.Write("transactions-2.csv",
            $"{TransactionsHeader}\nT1,2,C1,2024-03-01T12:00:00Z,5.00,EUR,allergy\nT2,,C1,2024-04-01T12:00:00Z,7.00,EUR,skincare\n"));

        overlap.Should().Match<FileIngestionResult>(r => r.Accepted == 1 && r.Duplicates == 1);
        var purchases = (await _h.ProfileAsync("C1")).Purchases;
        purchases.OrderCount.Should().Be(2);
        purchases.SpendByCurrency["EUR"].Gross.Should().Be(22m);
    }

    [Fact]
    public async Task A_run_killed_half_way_and_started_again_ends_exactly_as_a_clean_run()
    {
        var rows = Enumerable.Range(1, 40).Select(i =>
            $"T{i},{(i % 3 == 0 ? "1" : "")},C{i % 7},2024-{1 + i % 12:D2}-{1 + i % 27:D2}T12:00:00+02:00,{i}.25,EUR,cat{i % 4}");
        var content = TransactionsHeader + "\n" + string.Join("\n", rows) + "\nT1,,C1,2024-01-01T00:00:00Z,1.00,EUR,dup\n";
        var path = _h.Folder.Write("transactions.csv", content);

        // Crash after two batches (of three rows each): the third batch is lost in flight.
        using var crash = new CancellationTokenSource();
        var crashing = _h.CreateService(new CrashingStore(_h.Store, 2, crash), _h.Ledger);
        var interrupted = async () => await crashing.IngestAsync(new LocalExportFile(path), null, crash.Token);
        await interrupted.Should().ThrowAsync<OperationCanceledException>();
        (await _h.Ledger.FindAsync(await ContentIdAsync(path))).Should().BeNull("an interrupted file is not complete");

        var resumed = await _h.IngestAsync(path);

        var (cleanStore, cleanLedger, cleanGate) = _h.NewStore();
        var clean = await _h.CreateService(cleanStore, cleanLedger, cleanGate).IngestAsync(new LocalExportFile(_h.Folder.Write("clean/transactions.csv", content)));
        resumed.Should().Be(clean with { Name = resumed.Name });
        resumed.Duplicates.Should().Be(1, "the genuine duplicate row is still reported as one");
        (await IngestionHarness.SnapshotAsync(_h.Store)).Should().Equal(await IngestionHarness.SnapshotAsync(cleanStore));
    }

    [Fact]
    public async Task A_store_failure_is_reported_as_itself_and_the_file_stays_unfinished()
    {
        var path = _h.Folder.Write("transactions.csv",
            TransactionsHeader + "\n" + string.Join("\n", Enumerable.Range(1, 20).Select(i => $"T{i},,C1,2024-03-01T12:00:00Z,1.00,EUR,x")) + "\n");
        var failing = _h.CreateService(new FailingStore(_h.Store), _h.Ledger);

        var ingest = async () => await failing.IngestAsync(new LocalExportFile(path));

        await ingest.Should().ThrowAsync<InvalidOperationException>().WithMessage("disk on fire");
        (await _h.Ledger.FindAsync(await ContentIdAsync(path))).Should().BeNull();
        (await _h.IngestAsync(path)).Accepted.Should().Be(20, "the store's write lock was released and a re-run completes");
    }

    [Fact]
    public async Task A_newer_updated_at_wins_regardless_of_file_order_and_empty_cells_erase_nothing()
    {
        const string Header = "customer_id,email,first_name,city,updated_at";
        var newer = _h.Folder.Write("customers-new.csv", $"{Header}\nC1,new@example.com,,Milano,2024-06-01T00:00:00Z\n");
        var older = _h.Folder.Write("customers-old.csv", $"{Header}\nC1,old@example.com,Ada,Roma,2024-01-01T00:00:00Z\n");

        await _h.IngestAsync(newer);
        await _h.IngestAsync(older);

        var profile = await _h.ProfileAsync("C1");
        profile.Email.Should().Be("new@example.com");
        profile.City.Should().Be("Milano");
        profile.FirstName.Should().Be("Ada", "an empty cell in the newer row does not erase the older value");
    }

    [Fact]
    public async Task An_opt_out_is_honoured_even_when_an_older_opt_in_arrives_later()
    {
        await _h.IngestAsync(_h.Folder.Write("consents-1.csv", "customer_id,channel,status,occurred_at\nC1,email,opt_out,2024-05-01T00:00:00Z\n"));
        await _h.IngestAsync(_h.Folder.Write("consents-2.csv", "customer_id,channel,status,occurred_at\nC1,email,opt_in,2024-04-01T00:00:00Z\n"));

        (await _h.ProfileAsync("C1")).Consents["email"].IsOptedIn.Should().BeFalse();
    }

    [Fact]
    public async Task A_customer_export_flag_cannot_lift_an_explicit_opt_out_but_a_newer_explicit_opt_in_can()
    {
        await _h.IngestAsync(_h.Folder.Write("consents-1.csv", "customer_id,channel,status,occurred_at\nC1,email,opt_out,2024-05-01T00:00:00Z\n"));
        await _h.IngestAsync(_h.Folder.Write("customers.csv", "customer_id,email,email_opt_in,updated_at\nC1,ada@example.com,true,2024-09-01T00:00:00Z\n"));
        (await _h.ProfileAsync("C1")).Consents["email"].IsOptedIn.Should().BeFalse();

        await _h.IngestAsync(_h.Folder.Write("consents-2.csv", "customer_id,channel,status,occurred_at\nC1,email,opt_in,2024-10-01T00:00:00Z\n"));
        (await _h.ProfileAsync("C1")).Consents["email"].IsOptedIn.Should().BeTrue();
    }

    [Fact]
    public async Task Bounces_and_spam_reports_from_the_mail_provider_suppress_until_a_newer_explicit_opt_in()
    {
        await _h.IngestAsync(_h.Folder.Write("consents-1.csv",
            "customer_id,channel,status,occurred_at,source\n" +
            "C1,email,opt_in,2024-01-01T00:00:00Z,checkout\nC1,email,hard_bounce,2024-05-01T00:00:00Z,provider\n" +
            "C2,email,opt_in,2024-01-01T00:00:00Z,checkout\nC2,email,spam_report,2024-05-01T00:00:00Z,provider\n" +
            "C3,email,opt_in,2024-05-01T00:00:00Z,checkout\nC3,email,bounced,2024-05-01T00:00:00Z,provider\n"));

        (await _h.ProfileAsync("C1")).Consents["email"].Explicit!.Status.Should().Be(ConsentStatus.Bounced);
        (await _h.ProfileAsync("C2")).Consents["email"].Explicit!.Status.Should().Be(ConsentStatus.SpamReport);
        (await _h.ProfileAsync("C3")).Consents["email"].IsOptedIn.Should().BeFalse("at the same instant the suppression wins");

        await _h.IngestAsync(_h.Folder.Write("consents-2.csv", "customer_id,channel,status,occurred_at\nC1,email,opt_in,2024-06-01T00:00:00Z\n"));
        (await _h.ProfileAsync("C1")).Consents["email"].IsOptedIn.Should().BeTrue();
    }

    [Fact]
    public async Task Transactions_of_an_unseen_customer_create_a_profile_that_is_contactable_only_once_an_address_arrives()
    {
        await _h.IngestAsync(_h.Folder.Write("transactions.csv", $"{TransactionsHeader}\nT1,,C9,2024-03-01T12:00:00Z,10.00,EUR,skincare\n"));
        (await _h.ProfileAsync("C9")).HasEmail.Should().BeFalse();

        await _h.IngestAsync(_h.Folder.Write("consents.csv", "customer_id,email,channel,status,occurred_at\nC9,guest@example.com,email,opt_in,2024-03-02T00:00:00Z\n"));

        var profile = await _h.ProfileAsync("C9");
        profile.HasEmail.Should().BeTrue();
        profile.Consents["email"].IsOptedIn.Should().BeTrue();
    }

    [Fact]
    public async Task Refunds_are_counted_as_refunds_not_purchases_and_currencies_are_never_mixed()
    {
        await _h.IngestAsync(_h.Folder.Write("transactions.csv", $"""
            {TransactionsHeader}
            T1,,C1,2024-03-01T12:00:00+01:00,100.00,EUR,skincare
            R1,,C1,2024-03-05T12:00:00+01:00,-40.00,EUR,skincare
            T2,,C1,2024-03-09T12:00:00+03:00,5000.00,RUB,allergy
            """));

        var purchases = (await _h.ProfileAsync("C1")).Purchases;
        purchases.OrderCount.Should().Be(2);
        purchases.PurchaseDays.Should().Equal(new LocalDate(2024, 3, 1), new LocalDate(2024, 3, 9));
        purchases.SpendByCurrency["EUR"].Should().BeEquivalentTo(new { Orders = 1, Gross = 100m, RefundCount = 1, Refunded = 40m, Net = 60m });
        purchases.SpendByCurrency["RUB"].Gross.Should().Be(5000m);
        purchases.Categories["skincare"].NetSpendByCurrency["EUR"].Should().Be(60m);
    }

    [Fact]
    public async Task The_purchase_day_is_the_local_date_where_the_purchase_happened()
    {
        // 00:30 on March 2 in Shanghai is still March 1 in UTC: the customer bought on March 2.
        await _h.IngestAsync(_h.Folder.Write("transactions.csv",
            $"{TransactionsHeader}\nT1,,C1,2024-03-02T00:30:00+08:00,10.00,CNY,tea\n"));

        (await _h.ProfileAsync("C1")).Purchases.PurchaseDays.Should().Equal(new LocalDate(2024, 3, 2));
    }

    private static async Task<string> ContentIdAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        return "sha256:" + Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(stream));
    }

    [Fact]
    public async Task The_same_export_ingested_by_two_runs_at_once_completes_in_both_and_leaves_whole_reports()
    {
        var path = _h.Folder.Write("transactions.csv",
            "transaction_id,customer_id,occurred_at,amount,currency\n" +
            string.Concat(Enumerable.Range(1, 2_000).Select(i => $"T{i},C{i % 50},2024-03-01T12:00:00Z,10.00,EUR\n")) +
            "T9,C1,yesterday,1.00,EUR\n");
        var (store, ledger, gate) = _h.NewStore();
        var other = _h.CreateService(store, ledger, gate);

        var results = await Task.WhenAll(Task.Run(() => _h.IngestAsync(path)), Task.Run(() => other.IngestAsync(new LocalExportFile(path), null)));

        results.Should().OnlyContain(r => r.Status != FileStatus.Failed, string.Join("; ", results.Select(r => r.Error)));
        _h.RejectedRows(path).Should().ContainSingle().Which[2].Should().Be("occurred_at");
        System.Text.Json.JsonDocument.Parse(File.ReadAllText(path + ReportNames.SummarySuffix)).RootElement.GetProperty("rejected").GetInt64().Should().Be(1);
        Directory.GetFiles(_h.Folder.Path, ".*.tmp").Should().BeEmpty("each report was renamed into place");
        (await _h.ProfileAsync("C1")).Purchases.OrderCount.Should().Be(40);
    }

    [Fact]
    public async Task A_run_that_finds_the_same_content_being_ingested_waits_for_it_and_skips_it_once_complete()
    {
        var path = _h.Folder.Write("customers.csv", "customer_id,email,updated_at\nC1,ada@example.com,2024-01-01T00:00:00Z\n");
        var contentId = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));
        (await _h.Ledger.TryClaimAsync(contentId, "the-other-run", _h.Clock.Now, _h.Clock.Now + Duration.FromMinutes(2))).Should().BeTrue();

        var waiting = _h.IngestAsync(path);
        await Task.Delay(1_500);
        waiting.IsCompleted.Should().BeFalse("the other run holds the content");
        await _h.Ledger.RecordAsync(new IngestedFile(contentId, "customers.csv", Automation.Ingestion.Formats.ExportKind.Customers, 1, 1, 0, 0, 0, _h.Clock.Now));
        await _h.Ledger.ReleaseAsync(contentId, "the-other-run");
        var result = await waiting.WaitAsync(TimeSpan.FromSeconds(30));

        result.Status.Should().Be(FileStatus.Skipped, "the other run completed it");
        (await _h.Store.GetAsync("C1")).Should().BeNull("this run did none of the work again");
        (await _h.Ledger.TryClaimAsync(contentId, "a-third-run", _h.Clock.Now, _h.Clock.Now + Duration.FromMinutes(2))).Should().BeTrue("no claim is left behind");
    }

    public void Dispose() => _h.Dispose();
}
