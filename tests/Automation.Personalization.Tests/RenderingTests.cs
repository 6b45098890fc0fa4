using Automation.Messages;
using Automation.Settings;
using Automation.Personalization.Templates;
using Automation.Planning.Triggers;
using Automation.Profiles.Model;
using Automation.Testing;
using FluentAssertions;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Automation.Personalization.Tests;

public sealed class RenderingTests : IDisposable
{
    private static readonly string SampleTemplates = Path.Combine(SharedData.RepositoryRoot, "samples", "templates");
    private static readonly string[] Triggers = ["birthday", "churn_risk", "pollen"];
    private readonly TempFolder _folder = new();

    private static MessageRenderer Renderer(string templates, string defaultLocale = "en", params string[] triggers)
    {
        var settings = PersonalizationSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Automation:Personalization:TemplatesDirectory"] = templates,
            ["Automation:Personalization:DefaultLocale"] = defaultLocale,
            ["Automation:Personalization:FromAddress"] = "news@shop.example.com",
        }).Build());
        return new MessageRenderer(
            new Lazy<TemplateCatalog>(() => TemplateCatalog.Load(settings.TemplatesDirectory, settings.DefaultLocale, triggers.Length > 0 ? triggers : Triggers)),
            TestLinks.Links);
    }

    private static TriggerCandidate Churn => new("churn_risk", "lapse-after-2026-06-01", "last purchase 174 days ago; usual interval 30 days",
        new Dictionary<string, string> { ["days_since_last_purchase"] = "174", ["usual_interval_days"] = "30", ["last_purchase_date"] = "2026-06-01", ["purchase_days"] = "6" });

    private static TriggerCandidate Birthday(string? age = "36") => new("birthday", "2026", "birthday today",
        age is null ? new Dictionary<string, string> { ["birthday_date"] = "2026-06-15" } : new Dictionary<string, string> { ["birthday_date"] = "2026-06-15", ["age"] = age });

    private static TriggerCandidate Pollen => new("pollen", "grass:2027-05-15", "grass pollen forecast 80 grains/m³",
        new Dictionary<string, string> { ["pollen_type"] = "grass", ["pollen_level"] = "80", ["pollen_threshold"] = "50", ["forecast_date"] = "2027-05-15", ["area"] = "Milano" });

    [Fact]
    public void Markup_in_a_first_name_is_escaped_in_html_and_left_alone_in_plain_text()
    {
        var profile = TestProfiles.Customer(firstName: "<script>alert('x')</script> & Co");

        var message = Renderer(SampleTemplates).Render(profile, Churn, new("m1"));

        message.Html.Should().Contain("Hi &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co,").And.NotContain("<script>");
        message.Text.Should().StartWith("Hi <script>alert('x')</script> & Co,");
        message.Subject.Should().Be("We miss you, <script>alert('x')</script> & Co");
    }

    [Theory]
    [InlineData("250.00", "As one of our best customers, here is 20% off")]
    [InlineData("42.10", "Here is 10% off")]
    [InlineData(null, "Here is 10% off")]
    public void The_win_back_offer_grows_with_the_predicted_value_and_a_customer_without_one_gets_the_standard_offer(string? predictedValue, string offer)
    {
        var data = new Dictionary<string, string>(Churn.Data);
        if (predictedValue is not null) data["predicted_value"] = predictedValue;

        var message = Renderer(SampleTemplates).Render(TestProfiles.Customer(), Churn with { Data = data }, new("m1"));

        message.Text.Should().Contain(offer + " your next order, valid for 14 days.");
        message.Html.Should().Contain(offer + " your next order, valid for 14 days.");
    }

    [Fact]
    public void A_missing_first_name_uses_the_declared_fallback_never_an_empty_gap()
    {
        var message = Renderer(SampleTemplates).Render(TestProfiles.Customer(firstName: null), Churn, new("m1"));

        message.Subject.Should().Be("We miss you, there");
        message.Text.Should().StartWith("Hi there,");
        message.Html.Should().NotContain("Hi ,");
    }

    [Fact]
    public void Data_without_a_fallback_stops_the_message_with_the_name_of_what_is_missing()
    {
        var templates = WriteTemplates("birthday", "en", subject: "Happy birthday, {{first_name}}!");
        var renderer = Renderer(templates, triggers: "birthday");

        renderer.FindMissingData(TestProfiles.Customer(firstName: null), Birthday(), new("m1")).Should()
            .Be("first_name is missing and the birthday/en template declares no fallback for it");
        renderer.FindMissingData(TestProfiles.Customer(firstName: "Ada"), Birthday(), new("m1")).Should().BeNull();
    }

    [Fact]
    public void An_implausible_age_is_simply_left_out_by_the_sample_templates()
    {
        var message = Renderer(SampleTemplates).Render(TestProfiles.Customer(), Birthday(age: null), new("m1"));

        message.Text.Should().NotContain("years").And.Contain("15% off");
        Renderer(SampleTemplates).Render(TestProfiles.Customer(), Birthday(), new("m1")).Text.Should().Contain("36 years");
    }

    [Theory]
    [InlineData("ru-RU", "ru")]
    [InlineData("ru", "ru")]
    [InlineData("it-IT", "it")]
    [InlineData("zh-CN", "zh")]
    [InlineData("es-ES", "en")]
    [InlineData(null, "en")]
    public void The_locale_falls_back_from_region_to_language_to_the_default(string? customerLocale, string templateLocale)
    {
        var message = Renderer(SampleTemplates).Render(TestProfiles.Customer(locale: customerLocale), Churn, new("m1"));

        message.Locale.Should().Be(templateLocale);
    }

    [Fact]
    public void Dates_follow_the_template_locale()
    {
        var renderer = Renderer(SampleTemplates);

        renderer.Render(TestProfiles.Customer(locale: "it-IT"), Churn, new("m1")).Text.Should().Contain("1 giugno 2026");
        renderer.Render(TestProfiles.Customer(locale: "ru-RU"), Churn, new("m1")).Text.Should().Contain("1 июня 2026");
        renderer.Render(TestProfiles.Customer(locale: "en-GB"), Churn, new("m1")).Text.Should().Contain("June 1, 2026");
        renderer.Render(TestProfiles.Customer(locale: "zh-CN"), Churn, new("m1")).Text.Should().Contain("2026年6月1日");
    }

    [Theory]
    [InlineData("en", 1234.5, "EUR", "€1,234.50")]
    [InlineData("it-IT", 1234.5, "EUR", "1.234,50 €")]
    [InlineData("en-US", 20, "USD", "$20.00")]
    [InlineData("ja-JP", 1500, "JPY", "￥1,500")]
    public void Currency_amounts_follow_the_locale(string locale, decimal amount, string currency, string expected)
    {
        TemplateHelpers.FormatCurrency(amount, currency, System.Globalization.CultureInfo.GetCultureInfo(locale)).Should().Be(expected);
    }

    [Fact]
    public void Every_sample_template_renders_in_every_locale_with_the_unsubscribe_link()
    {
        var renderer = Renderer(SampleTemplates);
        foreach (var locale in new[] { "en", "ru", "zh", "it" })
        {
            foreach (var candidate in new[] { Churn, Birthday(), Pollen })
            {
                var message = renderer.Render(TestProfiles.Customer(locale: locale), candidate, new("m0123"));
                message.Locale.Should().Be(locale);
                message.Subject.Should().NotBeNullOrWhiteSpace().And.NotContain("\n");
                message.Html.Should().Contain($"href=\"{TestLinks.UrlFor("m0123")}\"");
                message.Text.Should().Contain(TestLinks.UrlFor("m0123"));
            }
        }

        renderer.Render(TestProfiles.Customer(locale: "it"), Pollen, new("m1")).Subject.Should().Be("Domani polline di graminacee alto a Milano");
    }

    [Fact]
    public void Template_problems_stop_loading_with_a_sentence_naming_the_file()
    {
        var noUnsubscribe = WriteTemplates("birthday", "en", html: "<p>Hello</p>");
        FluentActions.Invoking(() => TemplateCatalog.Load(noUnsubscribe, "en", ["birthday"])).Should().Throw<TemplateException>()
            .WithMessage("*html.hbs has no unsubscribe link: it must use {{unsubscribe_url}}.");

        FluentActions.Invoking(() => TemplateCatalog.Load(WriteTemplates("birthday", "en"), "de", ["birthday"])).Should().Throw<TemplateException>()
            .WithMessage("The trigger birthday is enabled but has no template in the default locale*");

        var broken = WriteTemplates("churn_risk", "en", subject: "{{#if first_name}}Hi");
        FluentActions.Invoking(() => TemplateCatalog.Load(broken, "en", ["churn_risk"])).Should().Throw<TemplateException>()
            .WithMessage("*subject.hbs does not compile*");
    }

    [Fact]
    public void Personalization_settings_are_checked()
    {
        var read = () => PersonalizationSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Automation:Personalization:PublicBaseUrl"] = "http://shop.example.com/automation",
            ["Automation:Personalization:LinkKeys:0"] = "c2hvcnQ=",
            ["Automation:Personalization:FromAddress"] = "not an address",
        }).Build());

        read.Should().Throw<Automation.Settings.SettingsValidationException>().Which.Problems.Should().Equal(
            "Automation:Personalization:LinkKeys entry 1 must be a base64 key of at least 32 bytes (its value is not shown).",
            "Automation:Personalization:PublicBaseUrl must be an https URL without query (e.g. https://shop.example.com/automation), or http on this machine (http://127.0.0.1:5080), got 'http://shop.example.com/automation'.",
            "Automation:Personalization:FromAddress must be an email address (e.g. news@shop.example.com), got 'not an address'.");
    }

    [Theory]
    [InlineData("<p>Hi</p>{{!-- <a href=\"{{unsubscribe_url}}\">Unsubscribe</a> --}}", null, "the HTML part has no link to it")]
    [InlineData("<p>Hi</p>{{#if coupon}}<a href=\"{{unsubscribe_url}}\">Unsubscribe</a>{{/if}}", null, "the HTML part has no link to it")]
    [InlineData("<p>Hi</p><!-- <a href=\"{{unsubscribe_url}}\">Unsubscribe</a> -->", null, "the HTML part has no link to it")]
    [InlineData("<p>Hi</p><a href=\"{{unsubscribe_url}}\">Unsubscribe</a>", "Hi{{#if coupon}} {{unsubscribe_url}}{{/if}}", "the text part does not show it")]
    public void Loading_renders_a_probe_and_refuses_a_template_whose_link_is_lost_in_a_comment_or_a_false_condition(string html, string? text, string problem)
    {
        var templates = WriteTemplates("birthday", "en", html: html, text: text);

        FluentActions.Invoking(() => TemplateCatalog.Load(templates, "en", ["birthday"])).Should().Throw<TemplateException>()
            .WithMessage($"*birthday*en is refused: rendered for a probe customer, the rendered message lost its unsubscribe link*{problem}*");
    }

    [Fact]
    public void A_message_that_loses_its_link_for_this_customer_is_not_rendered_and_says_which_part()
    {
        // Passes the probe (no first name there), loses the link for anyone with a first name.
        var templates = WriteTemplates("birthday", "en", html: "<p>Hi</p>{{#unless first_name}}<a href=\"{{unsubscribe_url}}\">Unsubscribe</a>{{/unless}}");
        var renderer = Renderer(templates, "en", "birthday");

        renderer.Render(TestProfiles.Customer(firstName: null), Birthday(), new("m1")).Html.Should().Contain($"href=\"{TestLinks.UrlFor("m1")}\"");
        FluentActions.Invoking(() => renderer.Render(TestProfiles.Customer(firstName: "Ada"), Birthday(), new("m2"))).Should().Throw<MissingUnsubscribeLinkException>()
            .WithMessage($"The birthday/en template: the rendered message lost its unsubscribe link {TestLinks.UrlFor("m2")}: the HTML part has no link to it.");
        renderer.FindMissingData(TestProfiles.Customer(firstName: "Ada"), Birthday(), new("m2")).Should().Contain("lost its unsubscribe link");
    }

    private string WriteTemplates(string trigger, string locale, string? subject = null, string? html = null, string? text = null)
    {
        var root = _folder.File("templates-" + Guid.NewGuid().ToString("N"));
        var folder = Path.Combine(root, trigger, locale);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "subject.hbs"), subject ?? "Hello {{insert first_name \"default=there\"}}");
        File.WriteAllText(Path.Combine(folder, "html.hbs"), html ?? "<p>Hi</p><a href=\"{{unsubscribe_url}}\">Unsubscribe</a>");
        File.WriteAllText(Path.Combine(folder, "text.hbs"), text ?? "Hi\n{{unsubscribe_url}}");
        return root;
    }

    public void Dispose() => _folder.Dispose();
}
