using System.Text;
using Automation.Messages;
using Automation.Planning.Policies;
using Automation.Profiles.Changes;
using Automation.Profiles.Erasure;
using Automation.Profiles.Identifiers;
using Automation.Profiles.Model;
using Automation.Profiles.Storage;
using Automation.Testing;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Delivery.Tests;

/// <summary>Erasure (GDPR Art. 17) on each store: what goes, what stays as a count, and that the customer cannot come back.</summary>
public abstract class ErasureTests : IDisposable
{
    private static readonly Dictionary<string, string> OneClick = new() { ["List-Unsubscribe"] = "One-Click" };
    protected TempFolder Folder { get; } = new();

    protected abstract Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync(TempFolder folder);

    /// <summary>Two celebrating customers with orders, each sent a birthday mail to the outbox.</summary>
    /// <param name="firstCustomersName">C000000's first name (the others are Ada).</param>
    private protected async Task<Pipeline> DeliveredAsync(Func<string, string>? emailOf = null, string? firstCustomersName = null)
    {
        var pipeline = new Pipeline(Folder, await StoreSettingsAsync(Folder));
        await pipeline.AddCelebratingCustomersAsync(2, emailOf: emailOf);
        if (firstCustomersName is not null)
        {
            await pipeline.Store.ApplyAsync([new CustomerUpdate("C000000", new LineSource("sha256:names", 2), Instant.FromUtc(2026, 1, 5, 0, 0)) { FirstName = firstCustomersName }]);
        }

        await pipeline.Store.ApplyAsync(
        [
            TestChanges.Line("C000000", "T-100", 20m, line: "1", category: "allergy"),
            TestChanges.Line("C000000", "T-100", 5m, line: "2", category: "tea"),
            TestChanges.Line("C000001", "T-200", 9m, line: "1"),
        ]);
        await pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false);
        pipeline.Clock.Now = Pipeline.SendTime;
        await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);
        return pipeline;
    }

    [Fact]
    public async Task Erasure_removes_the_profile_its_lines_and_the_outbox_copies_and_keeps_the_messages_only_as_counts()
    {
        await using var pipeline = await DeliveredAsync();
        var sent = (await pipeline.Log.GetCustomerMessagesAsync(new("C000000"))).Should().ContainSingle().Subject;
        var other = (await pipeline.Log.GetCustomerMessagesAsync(new("C000001"))).Should().ContainSingle().Subject;

        var erased = await pipeline.Eraser.EraseAsync([new CustomerId("C000000")]);
        await pipeline.Eraser.PurgeAsync();

        erased.Should().Equal(new CustomerErasure(new("C000000"), ErasedBefore: false, Profile: true, TransactionLines: 2, Messages: 1, OutboxFiles: 1));
        (await pipeline.Store.GetAsync("C000000")).Should().BeNull();
        (await pipeline.Get<ICustomerLines>().ReadLinesAsync("C000000").ToListAsync()).Should().BeEmpty();
        (await pipeline.Log.GetCustomerMessagesAsync(new("C000000"))).Should().BeEmpty();
        var kept = (await pipeline.Log.FindAsync(sent.MessageId))!;
        kept.CustomerId.Value.Should().StartWith(Tombstone.Prefix).And.NotContain("C000000");
        kept.Status.Should().Be(MessageStatus.Sent, "the count of what was sent stays true");
        kept.Trigger.Should().Be(sent.Trigger);
        kept.Data.Should().BeEmpty();
        kept.Detail.Should().BeNull();
        kept.Reason.Should().Be("the customer was erased");
        File.Exists(Path.Combine(pipeline.OutboxDirectory, sent.MessageId + ".eml")).Should().BeFalse();
        var index = await File.ReadAllTextAsync(Path.Combine(pipeline.OutboxDirectory, "index.jsonl"));
        index.Should().NotContain("C000000").And.NotContain(sent.MessageId.Value).And.Contain(other.MessageId.Value);
        File.Exists(Path.Combine(pipeline.OutboxDirectory, other.MessageId + ".eml")).Should().BeTrue("only the erased customer's copies go");
        (await pipeline.Store.GetAsync("C000001")).Should().NotBeNull();
        (await pipeline.Get<ICustomerLines>().ReadLinesAsync("C000001").ToListAsync()).Should().ContainSingle();
        (await pipeline.Get<IErasureStore>().IsErasedAsync(new("C000000"))).Should().BeTrue();
        (await pipeline.Get<IErasureStore>().IsErasedAsync(new("C000001"))).Should().BeFalse();
    }

    [Fact]
    public async Task Erasing_again_changes_nothing_and_says_the_customer_was_erased_before()
    {
        await using var pipeline = await DeliveredAsync();
        await pipeline.Eraser.EraseAsync([new CustomerId("C000000")]);

        var again = await pipeline.Eraser.EraseAsync([new CustomerId("C000000"), new CustomerId("C404")]);

        again.Should().Equal(
            new CustomerErasure(new("C000000"), ErasedBefore: true, Profile: false, TransactionLines: 0, Messages: 0, OutboxFiles: 0),
            new CustomerErasure(new("C404"), ErasedBefore: false, Profile: false, TransactionLines: 0, Messages: 0, OutboxFiles: 0));
        ErasureTotals.Zero.Add(again).Describe().Should().Be("2 customers erased (1 before): 0 profiles, 0 transaction lines, 0 messages, 0 outbox files");
    }

    [Fact]
    public async Task An_old_export_cannot_bring_an_erased_customer_back_and_its_rows_are_counted_not_listed()
    {
        await using var pipeline = await DeliveredAsync();
        await pipeline.Eraser.EraseAsync([new CustomerId("C000000")]);

        var direct = await pipeline.Store.ApplyAsync(
        [
            TestChanges.Customer("C000000", TestChanges.At(2026, 2, 1), "customer.c000000@example.com"),
            TestChanges.Line("C000000", "T-100", 20m, line: "1"),
            TestChanges.Line("C000001", "T-201", 3m, line: "1"),
        ]);
        direct.Should().Be(new ApplyResult(Applied: 1, Duplicates: 0, Erased: 2));

        var export = Folder.File("customers-old.csv");
        await File.WriteAllTextAsync(export,
            "customer_id,email,first_name,updated_at\n" +
            "C000000,customer.c000000@example.com,Ada,2026-01-01T00:00:00Z\n" +
            "C000002,customer.c000002@example.com,Bea,2026-01-01T00:00:00Z\n");
        var ingested = await pipeline.IngestAsync(export);

        ingested.Status.Should().Be(Ingestion.FileStatus.Completed);
        (ingested.Accepted, ingested.Rejected, ingested.ErasedRows).Should().Be((1L, 1L, 1L));
        (await pipeline.Store.GetAsync("C000000")).Should().BeNull();
        (await pipeline.Store.GetAsync("C000002")).Should().NotBeNull();
        var report = await File.ReadAllTextAsync(Folder.File("customers-old.csv" + Ingestion.ReportNames.RejectedSuffix));
        report.Should().Contain("erased: the customer was erased").And.NotContain("c000000@example.com", "the row's content is what erasure removed");
        report.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(2, "a header and the one refused row").And.Contain(l => l.StartsWith("2,", StringComparison.Ordinal));
        (await File.ReadAllTextAsync(Folder.File("customers-old.csv" + Ingestion.ReportNames.SummarySuffix))).Should().Contain("\"erasedRows\": 1");
    }

    [Fact]
    public async Task An_erasures_export_erases_each_customer_it_names_and_reports_what_went()
    {
        await using var pipeline = await DeliveredAsync();
        var export = Folder.File("erasures-2026-06.csv");
        await File.WriteAllTextAsync(export, "customer_id\nC000000\nC000000\nC000001\nbad/id\n");

        var ingested = await pipeline.IngestAsync(export);

        ingested.Kind.Should().Be("erasures");
        ingested.Status.Should().Be(Ingestion.FileStatus.Completed);
        (ingested.RowsRead, ingested.Accepted, ingested.Rejected).Should().Be((4L, 3L, 1L));
        ingested.Erasure.Should().Be(new ErasureTotals(Customers: 2, ErasedBefore: 0, Profiles: 2, TransactionLines: 3, Messages: 2, OutboxFiles: 2));
        (await pipeline.Store.ReadAllAsync().ToListAsync()).Should().BeEmpty();
        (await File.ReadAllTextAsync(Folder.File("erasures-2026-06.csv" + Ingestion.ReportNames.RejectedSuffix))).Should().Contain("bad/id");
    }

    [Fact]
    public async Task A_message_still_waiting_for_delivery_is_suppressed_so_nothing_reaches_an_erased_customer()
    {
        await using var pipeline = new Pipeline(Folder, await StoreSettingsAsync(Folder));
        await pipeline.AddCelebratingCustomersAsync(2);
        await pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false);

        await pipeline.Eraser.EraseAsync([new CustomerId("C000000")]);
        pipeline.Clock.Now = Pipeline.SendTime;
        await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);

        var files = Directory.GetFiles(pipeline.OutboxDirectory, "*.eml");
        files.Should().ContainSingle().Which.Should().EndWith((await pipeline.Log.GetCustomerMessagesAsync(new("C000001"))).Single().MessageId + ".eml");
        var undelivered = await pipeline.Log.ReadUndeliveredAsync(Pipeline.Birthday).ToListAsync();
        undelivered.Should().BeEmpty();
    }

    [Fact]
    public async Task An_address_that_unsubscribed_stays_unsubscribed_after_the_customer_who_said_so_is_erased()
    {
        await using var pipeline = await DeliveredAsync(emailOf: _ => "family.shared@example.com");
        var sent = (await pipeline.AllMessagesAsync(2)).Single(m => m.Status == MessageStatus.Sent);
        await pipeline.Preferences.SubmitAsync(TestLinks.Links.TokenFor(sent.MessageId), OneClick);

        await pipeline.Eraser.EraseAsync([sent.CustomerId]);
        var survivor = sent.CustomerId.Value == "C000000" ? "C000001" : "C000000";
        await pipeline.Store.ApplyAsync(
        [
            new CustomerUpdate("C000009", new LineSource("sha256:later", 2), Instant.FromUtc(2026, 6, 16, 0, 0)) { Email = "Family.Shared@example.com" },
            TestChanges.Consent("C000009", ConsentStatus.OptIn, Instant.FromUtc(2026, 1, 3, 0, 0)),
        ]);

        Contactability.Check((await pipeline.Store.GetAsync(survivor))!)!.Value.Code.Should().Be(ReasonCodes.OptedOut);
        var (code, detail) = Contactability.Check((await pipeline.Store.GetAsync("C000009"))!)!.Value;
        code.Should().Be(ReasonCodes.OptedOut, "the suppression belongs to the address, and outlives the customer who asked for it");
        detail.Should().Contain(Tombstone.Prefix).And.NotContain(sent.CustomerId.Value);
        var page = await pipeline.Preferences.SubmitAsync(TestLinks.Links.TokenFor(sent.MessageId), OneClick);
        page.StatusCode.Should().Be(200, "an old mail's one-click link still answers, and holds nothing");
    }

    public void Dispose()
    {
        Folder.Dispose();
        GC.SuppressFinalize(this);
    }
}

[Trait(Peers.Trait, Peers.Value)]
public sealed class SqliteErasureTests : ErasureTests
{
    protected override Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync(TempFolder folder) => TestStores.SqliteAsync(folder);

    [Fact]
    public async Task After_erasure_the_name_and_address_occur_in_no_file_of_the_store_or_the_outbox()
    {
        var needles = new[] { "Quirinalda", "quirinalda.vexworth@example.com" };
        await using (var pipeline = await DeliveredAsync(id => id == "C000000" ? "quirinalda.vexworth@example.com" : $"{id}@example.com", firstCustomersName: "Quirinalda"))
        {
            // Older versions of the profile row, as every re-import leaves them in the file's free space.
            for (var day = 2; day < 6; day++)
            {
                await pipeline.Store.ApplyAsync([new CustomerUpdate("C000000", new LineSource("sha256:again", day), Instant.FromUtc(2026, 2, day, 0, 0)) { City = $"Town {day}" }]);
            }

            FilesContaining(needles).Should().NotBeEmpty("the test must see the data before erasure to prove it gone after");
            await pipeline.Store.ApplyAsync([new CustomerUpdate("C000001", new LineSource("sha256:other", 2), Instant.FromUtc(2026, 2, 1, 0, 0)) { FirstName = "Bea" }]);

            await pipeline.Eraser.EraseAsync([new CustomerId("C000000")]);
            await pipeline.Eraser.PurgeAsync();
            (await pipeline.Store.GetAsync("C000001"))!.FirstName.Should().Be("Bea");
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        FilesContaining(needles).Should().BeEmpty();
    }

    /// <summary>Every file under the test's folder whose bytes hold a needle, as UTF-8 or UTF-16.</summary>
    private List<string> FilesContaining(string[] needles)
    {
        var patterns = needles.SelectMany(n => new[] { Encoding.UTF8.GetBytes(n), Encoding.Unicode.GetBytes(n) }).ToList();
        return Directory.EnumerateFiles(Folder.Path, "*", SearchOption.AllDirectories)
            .Where(file => File.ReadAllBytes(file) is var bytes && patterns.Any(p => bytes.AsSpan().IndexOf(p) >= 0))
            .Select(Path.GetFileName).OfType<string>().ToList();
    }
}

[Trait(Peers.Trait, Peers.Value)]
public sealed class CosmosErasureTests : ErasureTests
{
    protected override Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync(TempFolder folder) => TestStores.CosmosAsync();

    [Fact]
    public async Task After_erasure_the_name_and_address_occur_in_no_document_of_any_container()
    {
        var needles = new[] { "Quirinalda", "quirinalda.vexworth@example.com" };
        await using var pipeline = await DeliveredAsync(id => id == "C000000" ? "quirinalda.vexworth@example.com" : $"{id}@example.com", firstCustomersName: "Quirinalda");
        var containers = pipeline.Get<Storage.Cosmos.CosmosContainers>();
        (await DocumentsContainingAsync(containers, needles)).Should().NotBeEmpty("the test must see the data before erasure to prove it gone after");

        await pipeline.Eraser.EraseAsync([new CustomerId("C000000")]);

        (await DocumentsContainingAsync(containers, needles)).Should().BeEmpty();
        (await DocumentsContainingAsync(containers, ["\"C000000\""])).Should().BeEmpty("the id itself stays only as its tombstone");
    }

    /// <summary>Every document, in every container, whose JSON holds a needle: read through the change feed, as it is now.</summary>
    private static async Task<List<string>> DocumentsContainingAsync(Storage.Cosmos.CosmosContainers containers, string[] needles)
    {
        var found = new List<string>();
        foreach (var container in new[] { containers.Profiles, containers.Messages, containers.Deliveries, containers.Ingestions, containers.Sends, containers.Context, containers.Mailboxes, containers.Erasures })
        {
            var feed = container.GetChangeFeedStreamIterator(Microsoft.Azure.Cosmos.ChangeFeedStartFrom.Beginning(), Microsoft.Azure.Cosmos.ChangeFeedMode.LatestVersion);
            while (feed.HasMoreResults)
            {
                using var page = await feed.ReadNextAsync();
                if (page.StatusCode == System.Net.HttpStatusCode.NotModified) break;
                var text = await new StreamReader(page.Content).ReadToEndAsync();
                found.AddRange(needles.Where(text.Contains).Select(n => $"{container.Id}: {n}"));
            }
        }

        return found;
    }
}
