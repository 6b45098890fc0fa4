using System.Net;
using System.Text.Json;
using Automation.MarketerConsole;
using Automation.Messages;
using Automation.Profiles.Storage;
using Automation.Testing;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using NodaTime;
using Xunit;
using Xunit.Abstractions;

namespace Automation.Service.Tests;

/// <summary>The marketers' console on <c>serve</c>: nobody reaches it without the key, and each page works in a real browser.</summary>
[Trait(Peers.Trait, Peers.Value)]
public sealed class ConsoleTests(ITestOutputHelper output) : IDisposable
{
    private const string Key = "console-key-0123456789abcdef";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>The samples ingested and two days planned (the second one sent); the customer of the first mail sent.</summary>
    private async Task<(ServiceHarness Service, string Customer, string Email, string Trigger)> ServiceWithAMailSentAsync(params (string Key, string Value)[] settings)
    {
        var service = new ServiceHarness(_folder, await TestStores.SqliteAsync(_folder), new FakeClock(Instant.FromUtc(2026, 11, 22, 5, 0, 1)));
        service.DropSampleExports();
        await service.StartAsync(settings: [("Automation:Service:AccessKey", Key), .. settings]);
        await service.WaitUntilCaughtUpAsync(a => a.Plans == 1);
        service.Clock.Now = Instant.FromUtc(2026, 11, 23, 10, 30);
        await service.WaitUntilCaughtUpAsync(a => a.Plans == 2);
        using var sent = JsonDocument.Parse(File.ReadLines(Path.Combine(service.Outbox, "index.jsonl")).First());
        var customer = sent.RootElement.GetProperty("customerId").GetString()!;
        var profile = (await service.Services.GetRequiredService<ICustomerProfileStore>().GetAsync(customer))!;
        return (service, customer, profile.Email!, sent.RootElement.GetProperty("trigger").GetString()!);
    }

    [Fact]
    public async Task Every_page_sends_a_visitor_without_the_key_to_sign_in_and_shows_nothing_of_any_customer()
    {
        var (service, customer, email, _) = await ServiceWithAMailSentAsync();
        var root = new Uri(service.ListenerAddress);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = root };
        var pages = new[] { "/console", $"/console/customer?id={customer}", $"/console/templates?id={customer}", "/console/settings", "/console/message?id=m0", "/console/plan?date=2026-11-23", "/console/plan?date=2026-11-24&dry-run=true", "/console/outcomes?as-of=2026-12-20", "/report?as-of=2026-12-20" };

        foreach (var forged in new string?[] { null, "automation_console=forged-session" })
        {
            foreach (var page in pages)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, page);
                if (forged is not null) request.Headers.Add("Cookie", forged);
                using var answer = await http.SendAsync(request);
                var body = await answer.Content.ReadAsStringAsync();
                answer.StatusCode.Should().BeOneOf([HttpStatusCode.SeeOther, HttpStatusCode.Unauthorized], page);
                body.Should().NotContain(customer).And.NotContain(email);
                if (page.StartsWith("/console", StringComparison.Ordinal)) answer.Headers.Location!.OriginalString.Should().StartWith("/console/sign-in?then=");
            }

            using var byAddress = new HttpRequestMessage(HttpMethod.Post, "/console/customer") { Content = new FormUrlEncodedContent([new("email", email)]) };
            if (forged is not null) byAddress.Headers.Add("Cookie", forged);
            using var found = await http.SendAsync(byAddress);
            found.StatusCode.Should().Be(HttpStatusCode.SeeOther);
            (await found.Content.ReadAsStringAsync()).Should().NotContain(customer);
            using var change = new HttpRequestMessage(HttpMethod.Post, "/console/settings")
            {
                Content = new FormUrlEncodedContent([new("action", "apply"), new("key", "Automation:Triggers:Birthday:Enabled"), new("value", "false")]),
            };
            if (forged is not null) change.Headers.Add("Cookie", forged);
            using var changed = await http.SendAsync(change);
            changed.StatusCode.Should().Be(HttpStatusCode.SeeOther, "nobody changes a setting without signing in");
            File.Exists(service.SettingsFile).Should().BeFalse();
        }

        using var wrong = await http.PostAsync("/console/sign-in", new FormUrlEncodedContent([new("key", Key + "x"), new("then", "/console/outcomes")]));
        using var elsewhere = await http.PostAsync("/console/sign-in", new FormUrlEncodedContent([new("key", Key), new("then", "https://elsewhere.example/")]));
        using var right = await http.PostAsync("/console/sign-in", new FormUrlEncodedContent([new("key", Key), new("then", $"/console/customer?id={customer}")]));
        var cookie = right.Headers.GetValues("Set-Cookie").Single();
        using var signedIn = new HttpRequestMessage(HttpMethod.Get, right.Headers.Location!.OriginalString) { Headers = { { "Cookie", cookie.Split(';')[0] } } };
        using var shown = await http.SendAsync(signedIn);
        using var reportRequest = new HttpRequestMessage(HttpMethod.Get, "/report?as-of=2026-12-20&format=html") { Headers = { { "Cookie", cookie.Split(';')[0] } } };
        using var report = await http.SendAsync(reportRequest);
        await service.StopAsync();

        wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        wrong.Headers.Contains("Set-Cookie").Should().BeFalse();
        elsewhere.Headers.Location!.OriginalString.Should().Be("/console/customer", "sign-in never sends the browser to another site");
        cookie.Should().Contain("httponly").And.Contain("samesite=strict").And.NotContain(Key);
        shown.StatusCode.Should().Be(HttpStatusCode.OK);
        (await shown.Content.ReadAsStringAsync()).Should().Contain(customer);
        cookie.Should().Contain("path=/;", "the session opens the report beside the console too");
        report.StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Each_page_shows_its_key_content_in_a_real_browser_with_labelled_fields_ordered_headings_readable_contrast_and_no_error()
    {
        var (service, customer, email, trigger) = await ServiceWithAMailSentAsync();
        var address = service.ListenerAddress;
        var (playwright, browser) = await HeadlessChromium.LaunchAsync();
        using var _ = playwright;
        await using var __ = browser;
        var page = await browser.NewPageAsync(new() { BaseURL = address, ViewportSize = new() { Width = 1200, Height = 900 } });
        var problems = new List<string>();
        var visited = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") problems.Add(message.Text); };
        page.PageError += (_, error) => problems.Add(error);
        page.Request += (_, request) => visited.Add(request.Url);

        await page.GotoAsync($"/console/customer?id={customer}&date=2026-11-23");
        (await page.Locator("h1").InnerTextAsync()).Should().Be("Sign in", "the console asks for the key first");
        await CheckAsync(page, "sign-in");
        await page.GetByLabel("Access key").FillAsync(Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        (await page.Locator("h1").InnerTextAsync()).Should().Be("Customer", "sign-in returns to the page asked for");
        var headings = await page.Locator("h2").AllInnerTextsAsync();
        headings.Should().Equal("Profile", "Consent", "Triggers on 2026-11-23", "Messages as the customer would get them", "Message log");
        (await page.Locator("table").Nth(0).InnerTextAsync()).Should().Contain(customer);
        (await page.Locator("table").Last.InnerTextAsync()).Should().Contain(trigger).And.Contain("sent");
        (await page.Locator("h3").AllInnerTextsAsync()).Should().Equal(["birthday", "churn_risk", "pollen"], "every enabled trigger's message, the one that mailed them that day among them");
        (await page.Locator("main").InnerTextAsync()).Should().Contain("Does not fire on this day: rendered with the trigger's example values");
        (await page.Locator("pre.mail").First.InnerTextAsync()).Should().Contain("/preferences/", "the rendered mail carries its preference link");
        await CheckAsync(page, "customer");

        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        (await page.Locator("table").Nth(0).InnerTextAsync()).Should().Contain(customer, "the address finds its customer");
        page.Url.Should().NotContain(Uri.EscapeDataString(email)).And.NotContain(email, "an address never goes into a URL");
        await CheckAsync(page, "customer-by-address");

        await page.GetByRole(AriaRole.Link, new() { Name = "Plan", Exact = true }).ClickAsync();
        await page.GetByLabel("Day").FillAsync("2026-11-23");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        (await page.Locator("h1").InnerTextAsync()).Should().Be("Plan");
        (await page.Locator("main").InnerTextAsync()).Should().Contain("The recorded plan of 2026-11-23");
        (await page.Locator("h2").AllInnerTextsAsync()).Should().Equal("Per trigger", "Suppressed, by reason", "Messages planned, the first by send time");
        (await page.Locator("table").First.InnerTextAsync()).Should().Contain(trigger);
        var sentMessage = (await service.Services.GetRequiredService<IMessageLog>().GetCustomerMessagesAsync(new(customer))).Single(m => m.Status == MessageStatus.Sent).MessageId.Value;
        (await page.Locator("table").Last.InnerTextAsync()).Should().Contain(sentMessage, "the message sent that day is among the first sends").And.NotContain(customer, "the record names no customer");
        await CheckAsync(page, "plan");
        await page.GetByRole(AriaRole.Link, new() { Name = sentMessage }).ClickAsync();
        (await page.Locator("table").Nth(0).InnerTextAsync()).Should().Contain(customer, "a sent message leads to its customer's page");
        await page.GoBackAsync();
        await page.GetByLabel("Trigger").SelectOptionAsync(trigger);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        (await page.Locator("table").First.Locator("tr").CountAsync()).Should().Be(2, "the trigger filter leaves one trigger's row under the header");
        await page.GetByLabel("Day").FillAsync("2026-11-24");
        await page.GetByRole(AriaRole.Button, new() { Name = "Plan it as a dry run" }).ClickAsync();
        (await page.Locator("main").InnerTextAsync()).Should().Contain("A dry run of 2026-11-24, just now: nothing was recorded.");

        await page.GetByRole(AriaRole.Link, new() { Name = "Templates" }).ClickAsync();
        await page.GetByLabel("Day").FillAsync("2026-11-23");
        await page.GetByRole(AriaRole.Button, new() { Name = "Render" }).ClickAsync();
        (await page.Locator("h1").InnerTextAsync()).Should().Be("Templates");
        (await page.Locator("h2").AllInnerTextsAsync()).Should().Equal("birthday", "churn_risk", "pollen");
        var shown = await page.Locator("h3").AllInnerTextsAsync();
        shown.Should().Contain(["birthday / it", "churn_risk / ru", "pollen / zh", "churn_risk / es-ES"], "the templates' locales, and those of the customers the plan counted");
        (await page.Locator("main").InnerTextAsync()).Should().Contain("No es-ES template for churn_risk: customers with this locale get the en one.")
            .And.Contain("Hi Alex", "a made-up customer when none is chosen")
            .And.NotContain("Cannot render", "each trigger's example gives every value its templates use");
        await CheckAsync(page, "templates");
        await page.GetByLabel("Customer id (optional)").FillAsync(customer);
        await page.GetByRole(AriaRole.Button, new() { Name = "Render" }).ClickAsync();
        (await page.Locator("pre.mail").First.InnerTextAsync()).Should().NotContain("Hi Alex", "the chosen customer's own values");
        await page.GetByLabel("Trigger").SelectOptionAsync("pollen");
        await page.GetByLabel("Locale").SelectOptionAsync("it");
        await page.GetByRole(AriaRole.Button, new() { Name = "Render" }).ClickAsync();
        (await page.Locator("h3").AllInnerTextsAsync()).Should().Equal(["pollen / it"], "the filters leave one trigger in one locale");

        await page.GetByRole(AriaRole.Link, new() { Name = "Outcomes" }).ClickAsync();
        await page.GetByLabel("As of").FillAsync("2026-12-20");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        (await page.Locator("h1").InnerTextAsync()).Should().Be("Outcomes");
        (await page.Locator("main").InnerTextAsync()).Should().Contain("Decisions planned").And.Contain("as of 2026-12-20");
        (await page.Locator("h2").AllInnerTextsAsync()).Should().Contain(trigger);
        await CheckAsync(page, "outcomes");

        await page.GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
        (await page.Locator("h1").InnerTextAsync()).Should().Be("Settings");
        string Row(string key) => page.Locator("tr", new() { HasText = key }).First.InnerTextAsync().GetAwaiter().GetResult();
        Row("Automation:Triggers:Birthday:HoldoutPercent").Should().Contain("10").And.Contain("Automation__Triggers__Birthday__HoldoutPercent");
        Row("Automation:Triggers:Pollen:Thresholds:grass").Should().Contain("50", "each key of a family, as the settings file sets it");
        Row("Automation:Ingestion:BatchSize").Should().Contain("default: 500");
        Row("Automation:Service:AccessKey").Should().Contain("set (not shown)");
        (await page.ContentAsync()).Should().NotContain(Key, "a secret is never shown");
        await CheckAsync(page, "settings");
        await page.GetByLabel("Setting", new() { Exact = true }).FillAsync("Automation:Triggers:Birthday:DaysBefore");
        await page.GetByLabel("New value").FillAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show the effect on the plan" }).ClickAsync();
        (await page.Locator("p.verdict").InnerTextAsync()).Should().Be("The plan of 2026-11-25: adds 1 birthday mail.",
            "the days ahead are planned, so a change first shows in the next plan: with two days' notice, a birthday on 27 November");
        (await page.GetByRole(AriaRole.Button, new() { Name = "Apply: write it to the settings file and start again on it" }).CountAsync()).Should().Be(1);
        await CheckAsync(page, "settings-change", fullPage: false);

        // The marketer's language: chosen once on any page, kept for the next ones.
        await page.GetByRole(AriaRole.Link, new() { Name = "Русский" }).ClickAsync();
        (await page.Locator("h1").InnerTextAsync()).Should().Be("Настройки");
        (await page.Locator("html").GetAttributeAsync("lang")).Should().Be("ru");
        await page.GetByRole(AriaRole.Link, new() { Name = "План", Exact = true }).ClickAsync();
        await page.GetByLabel("День").FillAsync("2026-11-23");
        await page.GetByRole(AriaRole.Button, new() { Name = "Показать" }).ClickAsync();
        (await page.Locator("h2").AllInnerTextsAsync()).Should().Equal("По триггерам", "Подавленные, по причинам", "Запланированные сообщения, первые по времени отправки");
        (await page.Locator("main").InnerTextAsync()).Should().Contain("Записанный план на 2026-11-23.");
        await CheckAsync(page, "plan-ru");
        await page.GetByRole(AriaRole.Link, new() { Name = "中文" }).ClickAsync();
        (await page.Locator("h1").InnerTextAsync()).Should().Be("计划");
        await page.GetByRole(AriaRole.Link, new() { Name = "Italiano" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Cliente", Exact = true }).ClickAsync();
        (await page.Locator("h1").InnerTextAsync()).Should().Be("Cliente");
        await page.GetByLabel("ID cliente").FillAsync(customer);
        await page.GetByRole(AriaRole.Button, new() { Name = "Mostra" }).ClickAsync();
        (await page.Locator("h2").First.InnerTextAsync()).Should().Be("Profilo");
        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GotoAsync($"/console/customer?id={customer}");
        (await page.Locator("h1").InnerTextAsync()).Should().Be("Sign in", "signing out ends access");
        // A browser that prefers Chinese gets the sign-in page in Chinese before anyone chose a language.
        await using (var chinese = await browser.NewContextAsync(new() { BaseURL = address, Locale = "zh-CN" }))
        {
            var signIn = await chinese.NewPageAsync();
            await signIn.GotoAsync("/console/plan");
            (await signIn.Locator("h1").InnerTextAsync()).Should().Be("登录");
            (await signIn.GetByLabel("访问密钥").CountAsync()).Should().Be(1);
        }

        await service.StopAsync();

        problems.Should().BeEmpty();
        visited.Should().OnlyContain(url => url.StartsWith(address, StringComparison.Ordinal), "no page loads anything from another host");
    }

    [Fact]
    public async Task A_settings_change_is_checked_as_at_start_shown_as_its_effect_on_the_plan_ahead_then_written_with_its_history_and_serve_starts_again_on_it()
    {
        var (service, _, _, _) = await ServiceWithAMailSentAsync(("Automation:Policies:DefaultTimeZone", "Europe/Rome"));
        // Before the schedule's 05:00: the missed days are planned late, the day ahead (a customer's birthday) not yet.
        service.Clock.Now = Instant.FromUtc(2026, 11, 26, 3, 0);
        await service.WaitUntilCaughtUpAsync();
        var nextPlan = new LocalDate(2026, 11, 27);
        var dryRun = await service.Services.GetRequiredService<Planning.PlanningService>().PlanAsync(nextPlan, dryRun: true);
        var birthdays = dryRun.Record.Counts.Where(c => c is { Trigger: "birthday", Outcome: "planned" }).Sum(c => c.Count);
        birthdays.Should().BeGreaterThan(0, string.Join("; ", dryRun.Record.Counts));
        using var http = await SignedInAsync(service);
        async Task<(HttpStatusCode Status, string Page)> PostAsync(string action, string key, string value)
        {
            using var answer = await http.PostAsync("/console/settings", new FormUrlEncodedContent([new("action", action), new("key", key), new("value", value)]));
            return (answer.StatusCode, WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync()));
        }

        var wrong = await PostAsync("preview", "Automation:Policies:FrequencyCap:MaxMessages", "0");
        var secret = await PostAsync("preview", "Automation:Service:AccessKey", "another-key-0123456789");
        var unknown = await PostAsync("preview", "Automation:Triggers:Birthday:Enabeld", "false");
        var overridden = await PostAsync("preview", "Automation:Policies:DefaultTimeZone", "Asia/Tokyo");
        var wrongApplied = await PostAsync("apply", "Automation:Triggers:Birthday:DaysBefore", "31");
        var preview = await PostAsync("preview", "automation:triggers:birthday:enabled", " false ");
        File.Exists(service.SettingsFile).Should().BeFalse("nothing is written before a change is applied");
        var applied = await PostAsync("apply", "Automation:Triggers:Birthday:Enabled", "false");
        applied.Page.Should().Contain("Applied. The plan of 2026-11-27: removes", applied.Status.ToString() + preview.Page).And.Contain("starts again on it now");
        await service.WaitStoppedAsync();

        wrong.Status.Should().Be(HttpStatusCode.BadRequest);
        wrong.Page.Should().Contain("Automation:Policies:FrequencyCap:MaxMessages must be a whole number of messages from 1 to 100, got '0'.", "the sentence a start gives");
        secret.Page.Should().Contain("is a secret").And.NotContain("another-key-0123456789\"");
        unknown.Page.Should().Contain("'Automation:Triggers:Birthday:Enabeld' is not a setting this version knows");
        overridden.Page.Should().Contain("would still be 'Europe/Rome'", "the test's own settings come after the file, as environment variables do");
        wrongApplied.Status.Should().Be(HttpStatusCode.BadRequest, "applying checks again");
        preview.Status.Should().Be(HttpStatusCode.OK);
        preview.Page.Should().Contain("Automation:Triggers:Birthday:Enabled: <strong>True</strong> → <strong>false</strong>")
            .And.Contain($"The plan of 2026-11-27: removes {birthdays} birthday mail")
            .And.Contain("Apply: write it to the settings file");
        applied.Status.Should().Be(HttpStatusCode.OK);
        service.RestartRequested.Should().BeTrue("serve stops to start again on the changed file");
        using (var written = JsonDocument.Parse(File.ReadAllText(service.SettingsFile)))
        {
            written.RootElement.GetProperty("Automation").GetProperty("Triggers").GetProperty("Birthday").GetProperty("Enabled").GetString().Should().Be("false");
        }

        File.ReadAllLines(service.SettingsFile + ".history.jsonl").Should().ContainSingle()
            .Which.Should().Contain("\"key\":\"Automation:Triggers:Birthday:Enabled\"").And.Contain("\"from\":null").And.Contain("\"to\":\"false\"").And.Contain($"removes {birthdays} birthday");
        if (!OperatingSystem.IsWindows()) File.GetUnixFileMode(service.SettingsFile).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, "a settings file holds secrets");

        await service.StartAsync(settings: [("Automation:Service:AccessKey", Key), ("Automation:Policies:DefaultTimeZone", "Europe/Rome")]);
        using var again = await SignedInAsync(service);
        // A history line cut short by a crash mid-append is left out, not a broken page.
        File.AppendAllText(service.SettingsFile + ".history.jsonl", "{\"at\":\"2026-11-");
        var settings = WebUtility.HtmlDecode(await again.GetStringAsync("/console/settings"));
        var plan = await service.Services.GetRequiredService<Planning.PlanningService>().PlanAsync(nextPlan, dryRun: true);
        // Undo: the history's earlier value (none in the file) previewed like any change.
        using var back = await again.PostAsync("/console/settings", new FormUrlEncodedContent([new("action", "preview"), new("key", "Automation:Triggers:Birthday:Enabled"), new("value", "")]));
        var backPage = WebUtility.HtmlDecode(await back.Content.ReadAsStringAsync());
        File.WriteAllText(service.SettingsFile, "{ \"Automation\": ");
        using var broken = await again.PostAsync("/console/settings", new FormUrlEncodedContent([new("action", "apply"), new("key", "Automation:Triggers:Birthday:Enabled"), new("value", "true")]));
        var brokenPage = WebUtility.HtmlDecode(await broken.Content.ReadAsStringAsync());
        await service.StopAsync();

        broken.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        brokenPage.Should().Contain("is not a JSON object the console can change", "a file edited by hand into something else is not overwritten");
        File.ReadAllText(service.SettingsFile).Should().Be("{ \"Automation\": ");

        settings.Should().Contain("Changes made here").And.Contain($"removes {birthdays} birthday").And.Contain("Show the effect of setting it back");
        backPage.Should().Contain("Automation:Triggers:Birthday:Enabled: <strong>false</strong> → <strong>True</strong>", "without the file's key the samples' value is in force again")
            .And.Contain($"The plan of 2026-11-27: adds {birthdays} birthday mail");
        plan.Record.Counts.Should().NotContain(c => c.Trigger == "birthday" && c.Outcome == "planned", "the restarted service runs on the changed file");
    }

    [Fact]
    public async Task The_templates_warn_about_a_field_they_print_that_most_customers_a_plan_mails_lack()
    {
        var (service, _, _, _) = await ServiceWithAMailSentAsync();
        var day = new LocalDate(2026, 11, 23);
        var plan = Planning.Days.PlanRecord.From(
            [new("birthday", "it", "planned", null, 9), new("birthday", "en", "held_out", null, 1), new("churn_risk", "en", "planned", null, 10)],
            [],
            [new("birthday", "first_name", 7), new("birthday", "country", 10), new("churn_risk", "first_name", 5)]);
        var renderer = service.Services.GetRequiredService<Personalization.MessageRenderer>();
        var triggers = service.Services.GetRequiredService<Planning.Policies.CustomerPlanner>().Triggers;

        var showings = TemplateShowcase.Render(triggers, renderer, plan, null, day);
        await service.StopAsync();

        showings.Where(s => s.Trigger == "birthday").Should().OnlyContain(s => s.Warnings.Contains(
            "first_name is empty for 7 of the 10 customers the plan of 2026-11-23 mails with birthday (70%): most of them read this message without it."),
            "every birthday template greets by first name");
        showings.SelectMany(s => s.Warnings).Should().NotContain(w => w.StartsWith("country", StringComparison.Ordinal), "no template prints the country")
            .And.NotContain(w => w.Contains("with churn_risk", StringComparison.Ordinal), "half is not most");
    }

    /// <summary>A client signed in to the console of <paramref name="service"/>.</summary>
    private static async Task<HttpClient> SignedInAsync(ServiceHarness service)
    {
        var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(service.ListenerAddress) };
        using var signIn = await http.PostAsync("/console/sign-in", new FormUrlEncodedContent([new("key", Key), new("then", "/console/settings")]));
        http.DefaultRequestHeaders.Add("Cookie", signIn.Headers.GetValues("Set-Cookie").Single().Split(';')[0]);
        return http;
    }

    /// <summary>Every visible field has a label, headings go down one level at a time from one h1, text has AA contrast, and a screenshot is kept.</summary>
    /// <param name="fullPage">False: the screenshot shows what the window shows, the top of a long page.</param>
    private async Task CheckAsync(IPage page, string name, bool fullPage = true)
    {
        var unlabelled = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                .filter(field => !field.id || !document.querySelector(`label[for="${field.id}"]`)).map(field => field.name || field.outerHTML)
            """);
        unlabelled.Should().BeEmpty(name);
        var levels = await page.EvaluateAsync<int[]>("() => [...document.querySelectorAll('h1, h2, h3, h4')].map(h => Number(h.tagName[1]))");
        levels.Count(level => level == 1).Should().Be(1, name);
        levels[0].Should().Be(1, name);
        for (var i = 1; i < levels.Length; i++) (levels[i] - levels[i - 1]).Should().BeLessThanOrEqualTo(1, $"{name}: headings in order");
        // WCAG 2 contrast of every element with text of its own against the background it sits on (charts aside).
        var lowContrast = await page.EvaluateAsync<string[]>("""
            () => {
              const luminance = color => color.match(/[\d.]+/g).slice(0, 3).map(Number).map(v => v / 255)
                .map(v => v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4))
                .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
              const background = element => {
                for (let e = element; e; e = e.parentElement) {
                  const color = getComputedStyle(e).backgroundColor;
                  if (color !== 'transparent' && !/^rgba\(.*,\s*0\)$/.test(color)) return color;
                }
                return 'rgb(255, 255, 255)';
              };
              return [...document.querySelectorAll('body *')]
                .filter(e => !e.closest('svg') && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
                .map(e => {
                  const [a, b] = [luminance(getComputedStyle(e).color), luminance(background(e))];
                  return [e, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
                })
                .filter(([, ratio]) => ratio < 4.5)
                .map(([e, ratio]) => `${e.tagName} ${ratio.toFixed(2)} ${e.textContent.trim().slice(0, 40)}`);
            }
            """);
        lowContrast.Should().BeEmpty($"{name}: text stays readable (WCAG AA, 4.5:1)");
        Directory.CreateDirectory(HeadlessChromium.ScreenshotDirectory);
        var file = Path.Combine(HeadlessChromium.ScreenshotDirectory, $"console-{name}.png");
        await page.ScreenshotAsync(new() { Path = file, FullPage = fullPage });
        output.WriteLine($"screenshot: {file}");
    }
}
