using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Automation.Churn.Training;
using Automation.ContextSources.Pollen;
using Automation.Planning.Policies;
using Automation.Profiles.Storage;
using Automation.SyntheticData;
using Automation.Testing;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Xunit;

namespace Automation.Functions.Tests;

/// <summary>
/// The functions that talk to the outside: DeliverMessages to SendGrid, SendGridEvents from it over
/// HTTP, RefreshPollen from Open-Meteo (Kestrel fakes of both), and RefitChurnModel.
/// </summary>
[Collection(OneAtATime.Name)]
[Trait(Peers.Trait, Peers.Value)]
public sealed class DeliveryAndContextTests : IDisposable
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 20, 5, 30);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [MemberData(nameof(TestStores.Backends), MemberType = typeof(TestStores))]
    public async Task Batches_go_to_SendGrid_once_and_a_signed_unsubscribe_over_HTTP_stops_the_customer_while_a_forged_one_is_refused(string backend)
    {
        await using var sendGrid = await FakeSendGrid.StartAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var settings = new Dictionary<string, string?>(await TestStores.ForBackendAsync(backend, _folder))
        {
            ["Automation:SendGrid:ApiKey"] = FakeSendGrid.ApiKey,
            ["Automation:SendGrid:BaseUrl"] = sendGrid.BaseUrl,
            ["Automation:SendGrid:SandboxMode"] = "true",
            ["Automation:SendGrid:UnsubscribeGroupId"] = "4242",
            ["Automation:SendGrid:EventWebhook:PublicKey"] = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()),
        };
        await using var host = await FunctionsTestHost.StartAsync(settings, Now);
        await host.DropSampleExportsAsync("customers.csv", "transactions.csv", "consents.csv");

        await host.FireTimerAsync("PlanDay");
        await host.DrainAsync("plan-shards");
        // A batch handed over twice (a worker died after sending, before the message was deleted).
        var batches = await host.PeekAsync("deliveries");
        foreach (var batch in batches) await host.Queue("deliveries").SendMessageAsync(batch);
        await host.DrainAsync("deliveries");

        var sent = sendGrid.AcceptedMessageIds.ToList();
        sent.Should().NotBeEmpty().And.OnlyHaveUniqueItems();
        var log = host.Services.GetRequiredService<Automation.Messages.IMessageLog>();
        var message = (await log.FindAsync(new(sent[0])))!;

        var baseUrl = await host.StartHttpAsync();
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var body = JsonSerializer.SerializeToUtf8Bytes(new[]
        {
            new Dictionary<string, object>
            {
                ["email"] = "someone@example.com", ["timestamp"] = Now.ToUnixTimeSeconds(), ["event"] = "unsubscribe",
                ["sg_event_id"] = "ev-unsubscribe-1", ["automation_message_id"] = message.MessageId,
            },
        });
        var timestamp = Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var forged = await PostAsync(http, body, Sign(stranger, timestamp, body), timestamp);
        forged.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        Contactability.Check((await host.Services.GetRequiredService<ICustomerProfileStore>().GetAsync(message.CustomerId.Value))!).Should().BeNull("a forged request changes nothing");
        var unsigned = await http.PostAsync("/api/sendgrid/events", new ByteArrayContent(body));
        unsigned.StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var signed = await PostAsync(http, body, Sign(key, timestamp, body), timestamp);
        signed.IsSuccessStatusCode.Should().BeTrue(await signed.Content.ReadAsStringAsync());
        var stop = Contactability.Check((await host.Services.GetRequiredService<ICustomerProfileStore>().GetAsync(message.CustomerId.Value))!);
        stop.Should().NotBeNull("an unsubscribe through SendGrid stops the customer's mail");

        // The link in the mail, answered by the app itself: the page on GET, the one-click unsubscribe on POST, 404 for a forged token.
        var other = (await log.FindAsync(new(sent[1])))!;
        var link = sendGrid.Accepted.SelectMany(body => body.GetProperty("personalizations").EnumerateArray())
            .Single(p => p.GetProperty("custom_args").GetProperty("automation_message_id").GetString() == other.MessageId.Value)
            .GetProperty("headers").GetProperty("List-Unsubscribe").GetString()!.Trim('<', '>');
        var path = new Uri(link).AbsolutePath;
        path.Should().StartWith("/api/preferences/", "the app answers its own links under its public base URL");
        var page = await http.GetAsync(path);
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).Should().Contain("<form method=\"post\">");
        Contactability.Check((await host.Services.GetRequiredService<ICustomerProfileStore>().GetAsync(other.CustomerId.Value))!).Should().BeNull();
        (await http.PostAsync(path[..^3] + "abc", new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]))).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var oneClick = await http.PostAsync(path, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        oneClick.StatusCode.Should().Be(HttpStatusCode.OK);
        Contactability.Check((await host.Services.GetRequiredService<ICustomerProfileStore>().GetAsync(other.CustomerId.Value))!)!.Value.Code
            .Should().Be(ReasonCodes.OptedOut);
    }

    [Fact]
    public async Task RefreshPollen_fetches_the_forecasts_the_next_plan_warns_about_from_Open_Meteo_once_and_keeps_them_in_the_store()
    {
        await using var apis = await FakePollenApis.StartAsync();
        var today = Now.InUtc().Date;
        apis.Today = today;
        // East Berlin (sample customer C0000022): a high grass day; the rest of Europe has no values.
        apis.OpenMeteoPlaces[(52.55, 13.45)] = new OpenMeteoPlace("Europe/Berlin", 3600, (type, at) => type == "grass" ? 40 + at.Hour * 5 : 0);
        var settings = new Dictionary<string, string?>(await TestStores.SqliteAsync(_folder))
        {
            ["Automation:Pollen:ForecastFile"] = null,
            ["Automation:Pollen:OpenMeteo:BaseUrl"] = apis.BaseUrl,
        };
        await using var host = await FunctionsTestHost.StartAsync(settings, Now);
        await host.DropSampleExportsAsync("customers.csv");

        await host.FireTimerAsync("RefreshPollen");
        await host.FireTimerAsync("RefreshPollen");

        apis.Requests.Should().HaveCount(1, "every European area in one request, and the second run reads the store");
        // The next plan plans the day ahead (tomorrow) and warns about the day after it.
        var stored = await host.Services.GetRequiredService<IPollenForecastCache>().ReadAsync(today.PlusDays(2));
        stored.Should().Contain(area => area.AreaId == "DE:52.55,13.45" && area.Levels["grass"] == 155);
    }

    [Fact]
    public async Task RefitChurnModel_fits_and_saves_a_model_when_one_is_due_and_not_again_until_the_interval_has_passed()
    {
        var exports = await ExportGenerator.WriteAsync(new GeneratorSettings(Customers: 2_000, Transactions: 12_000, Seed: 11), _folder.File("generated"));
        await using var host = await FunctionsTestHost.StartAsync(await TestStores.SqliteAsync(_folder), Now);
        foreach (var export in new[] { exports.Customers, exports.Transactions })
        {
            await using var content = File.OpenRead(export);
            await host.DropExportAsync(Path.GetFileName(export), content);
        }

        await host.FireTimerAsync("RefitChurnModel");
        var models = host.Services.GetRequiredService<IChurnModelStore>();
        var model = await models.LoadLatestAsync();
        model.Should().NotBeNull("2,000 customers with repeat purchases determine the model");
        await host.FireTimerAsync("RefitChurnModel");
        (await models.LoadLatestAsync()).Should().BeEquivalentTo(model, "the model is refitted only when RefitIntervalDays have passed");
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, byte[] body, string signature, string timestamp)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sendgrid/events") { Content = new ByteArrayContent(body) };
        request.Headers.Add(Automation.Delivery.SendGrid.EventWebhook.EventWebhookVerifier.SignatureHeader, signature);
        request.Headers.Add(Automation.Delivery.SendGrid.EventWebhook.EventWebhookVerifier.TimestampHeader, timestamp);
        return await http.SendAsync(request);
    }

    private static string Sign(ECDsa key, string timestamp, byte[] body) =>
        Convert.ToBase64String(key.SignData([.. Encoding.UTF8.GetBytes(timestamp), .. body], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
}
