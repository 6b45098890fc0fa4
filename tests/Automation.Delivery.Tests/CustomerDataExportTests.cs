using System.Text;
using System.Text.Json;
using Automation.Messages;
using Automation.Profiles.Changes;
using Automation.Profiles.Storage;
using Automation.Testing;
using FluentAssertions;
using Xunit;

namespace Automation.Delivery.Tests;

/// <summary>The access export (GDPR Art. 15 and 20): everything held about one customer, and nothing about another.</summary>
public abstract class CustomerDataExportTests : IDisposable
{
    private readonly TempFolder _folder = new();

    protected abstract Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync(TempFolder folder);

    [Fact]
    public async Task The_export_holds_the_profile_consents_with_their_sources_every_transaction_line_and_every_message_with_its_reports()
    {
        await using var pipeline = new Pipeline(_folder, await StoreSettingsAsync(_folder));
        await pipeline.AddCelebratingCustomersAsync(2);
        await pipeline.Store.ApplyAsync(
        [
            TestChanges.Line("C000000", "T-100", 20m, line: "1", category: "allergy", source: new LineSource("sha256:orders-a", 7)),
            TestChanges.Line("C000000", "T-100", 5m, line: "2", category: "tea", source: new LineSource("sha256:orders-a", 8)),
            TestChanges.Line("C000001", "T-200", 9m, line: "1", source: new LineSource("sha256:orders-a", 9)),
        ]);
        await pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false);
        pipeline.Clock.Now = Pipeline.SendTime;
        await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);
        var message = (await pipeline.Log.GetCustomerMessagesAsync(new("C000000"))).Single();
        await pipeline.Preferences.SubmitAsync(TestLinks.Links.TokenFor(message.MessageId), new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" });

        using var output = new MemoryStream();
        (await pipeline.Access.WriteAsync("C000000", output)).Should().BeTrue();
        var text = Encoding.UTF8.GetString(output.ToArray());
        using var document = JsonDocument.Parse(text);
        var held = document.RootElement;

        held.GetProperty("format").GetString().Should().Be("automation-customer-data/1");
        held.GetProperty("customerId").GetString().Should().Be("C000000");
        held.GetProperty("profile").GetProperty("email").GetString().Should().Be("customer.c000000@example.com");
        held.GetProperty("profile").GetProperty("consents").GetProperty("email").ToString().Should().Contain($"one-click unsubscribe, message {message.MessageId}");
        held.GetProperty("transactionLines").EnumerateArray().Select(l =>
                $"{l.GetProperty("transactionId").GetString()}/{l.GetProperty("line").GetString()} {l.GetProperty("category").GetString()} " +
                $"{l.GetProperty("source").GetProperty("export").GetString()}:{l.GetProperty("source").GetProperty("line").GetInt64()}")
            .Should().Equal("T-100/1 allergy sha256:orders-a:7", "T-100/2 tea sha256:orders-a:8");
        var sent = held.GetProperty("messages").EnumerateArray().Should().ContainSingle().Subject;
        sent.GetProperty("messageId").GetString().Should().Be(message.MessageId.Value);
        sent.GetProperty("status").GetString().Should().Be("sent");
        sent.GetProperty("reason").GetString().Should().Be(message.Reason);
        text.Should().NotContain("c000001", "nothing about another customer").And.NotContain("T-200");
    }

    [Fact]
    public async Task An_unknown_customer_gets_no_document()
    {
        await using var pipeline = new Pipeline(_folder, await StoreSettingsAsync(_folder));
        using var output = new MemoryStream();

        (await pipeline.Access.WriteAsync("C404", output)).Should().BeFalse();
        output.Length.Should().Be(0);
    }

    public void Dispose()
    {
        _folder.Dispose();
        GC.SuppressFinalize(this);
    }
}

[Trait(Peers.Trait, Peers.Value)]
public sealed class SqliteCustomerDataExportTests : CustomerDataExportTests
{
    protected override Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync(TempFolder folder) => TestStores.SqliteAsync(folder);
}

[Trait(Peers.Trait, Peers.Value)]
public sealed class CosmosCustomerDataExportTests : CustomerDataExportTests
{
    protected override Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync(TempFolder folder) => TestStores.CosmosAsync();
}
