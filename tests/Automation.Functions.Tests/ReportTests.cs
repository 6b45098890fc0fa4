using Automation.MarketerConsole;
using System.Net;
using System.Text.Json;
using Automation.Testing;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Functions.Tests;

/// <summary>The marketers' HTTP triggers: ReportOutcomes (the report the command line prints) and ConsolePages, over the plan the functions made.</summary>
[Collection(OneAtATime.Name)]
[Trait(Peers.Trait, Peers.Value)]
public sealed class ReportTests : IDisposable
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 22, 5, 30);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>The samples ingested and 23 November planned through the functions; a client of their HTTP triggers that follows no redirect.</summary>
    private async Task<(FunctionsTestHost Host, HttpClient Http)> PlannedAsync()
    {
        var host = await FunctionsTestHost.StartOnAsync("sqlite", _folder, Now);
        await host.DropSampleExportsAsync("customers.csv", "transactions.csv", "consents.csv");
        await host.FireTimerAsync("PlanDay");
        await host.DrainAsync("plan-shards");
        return (host, new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(await host.StartHttpAsync()) });
    }

    [Fact]
    public async Task ReportOutcomes_answers_the_json_report_of_the_planned_days_its_html_page_on_request_and_400_with_a_sentence_for_a_wrong_date()
    {
        var (host, http) = await PlannedAsync();
        await using var _ = host;
        using var __ = http;

        using var answer = await http.GetAsync("/api/report?as-of=2026-12-20&window-days=14");
        using var wrong = await http.GetAsync("/api/report?as-of=2026-13-01");
        using var page = await http.GetAsync("/api/report?as-of=2026-12-20&format=html");

        answer.StatusCode.Should().Be(HttpStatusCode.OK);
        var report = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
        report.GetProperty("to").GetString().Should().Be("2026-12-20");
        var planned = report.GetProperty("triggers").EnumerateArray().Sum(t => t.GetProperty("planned").GetInt64());
        planned.Should().BePositive("the plan of 23 November made decisions");
        page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        var html = await page.Content.ReadAsStringAsync();
        html.Should().Contain("<h1>What the messages did</h1>").And.Contain(">Pending<").And.NotContain("<script");
        page.Headers.GetValues("Content-Security-Policy").Single().Should().StartWith("default-src 'none'");
        wrong.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await wrong.Content.ReadAsStringAsync()).Should().Contain("as-of must be a date as YYYY-MM-DD");
    }

    [Fact]
    public async Task The_console_admits_only_requests_the_platform_signed_in_and_shows_a_customer_and_the_outcomes_to_them()
    {
        var (host, http) = await PlannedAsync();
        await using var _ = host;
        using var __ = http;
        var pages = new[] { "/api/console", "/api/console/customer?id=C0000002", "/api/console/templates?id=C0000002", "/api/console/plan?date=2026-11-23", "/api/console/outcomes?as-of=2026-12-20" };

        foreach (var page in pages)
        {
            using var anonymous = await http.GetAsync(page);
            anonymous.StatusCode.Should().Be(HttpStatusCode.SeeOther, page);
            anonymous.Headers.Location!.OriginalString.Should().StartWith("/.auth/login/aad?post_login_redirect_uri=", "the platform's Entra ID sign-in");
            (await anonymous.Content.ReadAsStringAsync()).Should().NotContain("C0000002");
        }

        using var byAddress = await http.PostAsync("/api/console/customer", new FormUrlEncodedContent([new("email", "andrea.c0000002@example.net")]));
        using var ownSignIn = await http.GetAsync("/api/console/sign-in");
        HttpResponseMessage SignedIn(string page) =>
            http.Send(new HttpRequestMessage(HttpMethod.Get, page) { Headers = { { PlatformSignIn.PrincipalHeader, "00000000-0000-0000-0000-0000000000aa" } } });
        using var customer = SignedIn("/api/console/customer?id=C0000002&date=2026-11-23");
        using var outcomes = SignedIn("/api/console/outcomes?as-of=2026-12-20");
        using var plan = SignedIn("/api/console/plan?date=2026-11-23");
        var customerPage = await customer.Content.ReadAsStringAsync();

        byAddress.StatusCode.Should().Be(HttpStatusCode.SeeOther);
        ownSignIn.StatusCode.Should().Be(HttpStatusCode.NotFound, "in Azure the platform signs people in, not a key");
        customer.StatusCode.Should().Be(HttpStatusCode.OK);
        customerPage.Should().Contain("C0000002").And.Contain("Triggers on 2026-11-23").And.Contain("href=\"/.auth/logout\"");
        (await plan.Content.ReadAsStringAsync()).Should().Contain("The recorded plan of 2026-11-23", "the shards of PlanDay recorded their ranges' plans").And.Contain("<h2>Per trigger</h2>");
        outcomes.StatusCode.Should().Be(HttpStatusCode.OK);
        (await outcomes.Content.ReadAsStringAsync()).Should().Contain("<h1>Outcomes</h1>").And.Contain("as of 2026-12-20");
    }

    [Fact]
    public async Task The_settings_page_checks_a_change_as_at_start_shows_its_effect_on_the_next_plan_and_names_the_app_setting_to_change_in_Azure()
    {
        var (host, http) = await PlannedAsync();
        await using var _ = host;
        using var __ = http;
        async Task<(HttpStatusCode Status, string Page)> PostAsync(string action, string key, string value, bool signedIn = true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/console/settings")
            {
                Content = new FormUrlEncodedContent([new("action", action), new("key", key), new("value", value)]),
            };
            if (signedIn) request.Headers.Add(PlatformSignIn.PrincipalHeader, "00000000-0000-0000-0000-0000000000aa");
            using var answer = await http.SendAsync(request);
            return (answer.StatusCode, WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync()));
        }

        var anonymous = await PostAsync("preview", "Automation:Triggers:Pollen:Enabled", "false", signedIn: false);
        var wrong = await PostAsync("preview", "Automation:Policies:SendWindow:Start", "25:00");
        var preview = await PostAsync("preview", "Automation:Triggers:Pollen:Enabled", "false");
        var apply = await PostAsync("apply", "Automation:Triggers:Pollen:Enabled", "false");

        anonymous.Status.Should().Be(HttpStatusCode.SeeOther, "nobody changes a setting without signing in");
        wrong.Status.Should().Be(HttpStatusCode.BadRequest);
        wrong.Page.Should().Contain("Automation:Policies:SendWindow:Start must be a time of day as HH:mm (e.g. 09:00), got '25:00'.");
        preview.Status.Should().Be(HttpStatusCode.OK);
        preview.Page.Should().Contain("The plan of 2026-11-24:", "23 November is planned: the change first shows in the plan after it")
            .And.Contain("to apply it, set this app setting in Azure").And.Contain("<code>Automation__Triggers__Pollen__Enabled</code> = <code>false</code>")
            .And.Contain("az functionapp config appsettings set -g <group> -n <app> --settings \"Automation__Triggers__Pollen__Enabled=false\"")
            .And.NotContain("Apply: write it", "the Functions app's settings are changed in Azure, not by the console");
        apply.Status.Should().Be(HttpStatusCode.NotFound);
    }
}
