using Automation.MarketerConsole;
using System.Net;
using System.Text.Json;
using Automation.Planning.Policies;
using Automation.Profiles.Storage;
using Automation.Testing;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Xunit;

namespace Automation.Service.Tests;

/// <summary><c>serve</c> over HTTP: the links in the mail it sent, as a mail client and a customer use them, and the outcome report behind its key.</summary>
[Trait(Peers.Trait, Peers.Value)]
public sealed class HttpEndpointsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task The_link_in_a_sent_mail_shows_the_page_on_GET_unsubscribes_on_a_one_click_POST_and_refuses_a_forged_token()
    {
        var service = new ServiceHarness(_folder, await TestStores.SqliteAsync(_folder), new FakeClock(Instant.FromUtc(2026, 11, 22, 5, 0, 1)));
        service.DropSampleExports();
        await service.StartAsync();
        await service.WaitUntilCaughtUpAsync(a => a.Plans == 1);
        service.Clock.Now = Instant.FromUtc(2026, 11, 23, 10, 30);
        await service.WaitUntilCaughtUpAsync(a => a.Plans == 2);
        using var sent = JsonDocument.Parse(File.ReadLines(Path.Combine(service.Outbox, "index.jsonl")).First());
        var customer = sent.RootElement.GetProperty("customerId").GetString()!;
        var mail = File.ReadAllText(Path.Combine(service.Outbox, sent.RootElement.GetProperty("file").GetString()!));
        var link = mail.Split("\r\n").Single(l => l.StartsWith("List-Unsubscribe: <", StringComparison.Ordinal))["List-Unsubscribe: <".Length..^1];
        // The sample settings name http://127.0.0.1:5080 as the public address; this service listens on a port of its own.
        var url = new Uri(new Uri(service.ListenerAddress), new Uri(link).PathAndQuery);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var store = service.Services.GetRequiredService<ICustomerProfileStore>();

        using var page = await http.GetAsync(url);
        var shown = await page.Content.ReadAsStringAsync();
        Contactability.Check((await store.GetAsync(customer))!).Should().BeNull("showing the page changes nothing");
        using var forged = await http.PostAsync(new Uri(url.AbsoluteUri[..^2] + "xx"), OneClick());
        using var oneClick = await http.PostAsync(url, OneClick());
        using var again = await http.PostAsync(url, OneClick());
        var afterwards = Contactability.Check((await store.GetAsync(customer))!);
        await service.StopAsync();

        page.StatusCode.Should().Be(HttpStatusCode.OK);
        page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        page.Headers.CacheControl!.NoStore.Should().BeTrue();
        shown.Should().Contain("<form method=\"post\">").And.NotContain("@");
        forged.StatusCode.Should().Be(HttpStatusCode.NotFound);
        oneClick.StatusCode.Should().Be(HttpStatusCode.OK, "RFC 8058: answered at once, no redirect");
        again.StatusCode.Should().Be(HttpStatusCode.OK);
        afterwards!.Value.Code.Should().Be(ReasonCodes.OptedOut);
    }

    [Fact]
    public async Task The_outcome_report_is_served_only_with_the_report_key()
    {
        const string key = "report-key-0123456789";
        var keyless = new ServiceHarness(_folder, await TestStores.SqliteAsync(_folder, "keyless"), new FakeClock(Instant.FromUtc(2026, 11, 22, 4, 0)));
        await keyless.StartAsync();
        using var http = new HttpClient();
        using (var unserved = await http.GetAsync(new Uri(new Uri(keyless.ListenerAddress), "/report")))
        {
            unserved.StatusCode.Should().Be(HttpStatusCode.NotFound, "without an AccessKey the report is not served at all");
        }

        await keyless.StopAsync();
        var service = new ServiceHarness(_folder, await TestStores.SqliteAsync(_folder), new FakeClock(Instant.FromUtc(2026, 11, 22, 4, 0)));
        await service.StartAsync(settings: ("Automation:Service:AccessKey", key));
        var url = new Uri(new Uri(service.ListenerAddress), "/report?as-of=2026-12-20");

        using var anonymous = await http.GetAsync(url);
        using var wrong = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, url) { Headers = { { ConsoleAccess.KeyHeader, key + "x" } } });
        using var keyed = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, url) { Headers = { { ConsoleAccess.KeyHeader, key } } });
        using var bad = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(url, "/report?as-of=soon")) { Headers = { { ConsoleAccess.KeyHeader, key } } });
        using var page = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, url)
        {
            Headers = { { ConsoleAccess.KeyHeader, key }, { "Accept", "text/html,application/xhtml+xml,*/*;q=0.8" } },
        });
        var report = JsonDocument.Parse(await keyed.Content.ReadAsStringAsync()).RootElement;
        var html = await page.Content.ReadAsStringAsync();
        await service.StopAsync();

        anonymous.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        keyed.StatusCode.Should().Be(HttpStatusCode.OK);
        keyed.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        (report.GetProperty("asOf").GetString(), report.GetProperty("windowDays").GetInt32()).Should().Be(("2026-12-20", 14));
        report.GetProperty("triggers").GetArrayLength().Should().Be(0, "nothing was planned yet");
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).Should().Be("as-of must be a date as YYYY-MM-DD, got 'soon'.");
        page.Content.Headers.ContentType!.MediaType.Should().Be("text/html", "a browser asks for the page");
        html.Should().Contain("<h1>What the messages did</h1>").And.Contain("as of 2026-12-20");
    }

    private static FormUrlEncodedContent OneClick() => new([new("List-Unsubscribe", "One-Click")]);
}
