using Automation.Planning;
using Automation.Messages;
using Automation.Planning.Policies;
using Automation.Rights.Preferences;
using Automation.Profiles.Model;
using Automation.Profiles.Serialization;
using Automation.Testing;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Delivery.Tests;

/// <summary>
/// The link in every mail, answered by the product: one-click unsubscribe (RFC 8058), the preference
/// page with topics and the health opt-in, and refusal of any token the product did not make.
/// </summary>
public abstract class PreferenceLinkTests : IDisposable
{
    private static readonly LocalDate NextBirthday = Pipeline.Birthday.PlusYears(1);
    private static readonly Dictionary<string, string> OneClick = new() { ["List-Unsubscribe"] = "One-Click" };
    private readonly TempFolder _folder = new();

    protected abstract Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync(TempFolder folder);

    /// <summary>Birthday mail planned and delivered to <paramref name="customers"/> customers; the messages sent, by customer.</summary>
    private async Task<(Pipeline Pipeline, List<MessageRecord> Sent)> SentAsync(int customers)
    {
        var pipeline = new Pipeline(_folder, await StoreSettingsAsync(_folder));
        await pipeline.AddCelebratingCustomersAsync(customers);
        await pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false);
        pipeline.Clock.Now = Pipeline.SendTime;
        await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);
        var sent = (await pipeline.AllMessagesAsync(customers)).Where(m => m.Status == MessageStatus.Sent).OrderBy(m => m.CustomerId.Value, StringComparer.Ordinal).ToList();
        sent.Should().HaveCount(customers);
        return (pipeline, sent);
    }

    private static string TokenOf(MessageRecord message) => TestLinks.Links.TokenFor(message.MessageId);

    private static async Task<PlanSummary> PlanNextBirthdayAsync(Pipeline pipeline)
    {
        pipeline.Clock.Now = Instant.FromUtc(2027, 6, 15, 4, 0);
        return await pipeline.Planning.PlanAsync(NextBirthday, dryRun: false);
    }

    [Fact]
    public async Task A_one_click_POST_opts_the_customer_out_at_once_answers_200_without_redirect_and_is_idempotent()
    {
        var (pipeline, sent) = await SentAsync(2);
        await using var _ = pipeline;
        var mail = File.ReadAllText(Path.Combine(pipeline.OutboxDirectory, sent[0].MessageId + ".eml"));
        mail.Should().Contain($"List-Unsubscribe: <{TestLinks.UrlFor(sent[0].MessageId.Value)}>", "the header is exactly the URL that takes the POST")
            .And.Contain("List-Unsubscribe-Post: List-Unsubscribe=One-Click");

        var first = await pipeline.Preferences.SubmitAsync(TokenOf(sent[0]), OneClick);
        var again = await pipeline.Preferences.SubmitAsync(TokenOf(sent[0]), OneClick);

        first.Should().Be(new PreferenceResponse(200, PreferenceResponse.PlainText, "You are unsubscribed."));
        again.StatusCode.Should().Be(200, "a client may send it twice");
        var (code, detail) = Contactability.Check((await pipeline.Store.GetAsync("C000000"))!)!.Value;
        code.Should().Be(ReasonCodes.OptedOut);
        detail.Should().Contain($"one-click unsubscribe, message {sent[0].MessageId}");
        Contactability.Check((await pipeline.Store.GetAsync("C000001"))!).Should().BeNull("only the link's customer is opted out");
        var next = await PlanNextBirthdayAsync(pipeline);
        next.Planned.Should().Be(1);
        next.Suppressed.Should().Equal(new Dictionary<string, long> { [ReasonCodes.OptedOut.Value] = 1 });
    }

    [Fact]
    public async Task A_one_click_unsubscribe_applies_to_every_customer_at_the_address()
    {
        await using var pipeline = new Pipeline(_folder, await StoreSettingsAsync(_folder));
        await pipeline.AddCelebratingCustomersAsync(3, emailOf: id => id == "C000002" ? "other.customer@example.com" : "family.shared@example.com");
        await pipeline.Planning.PlanAsync(Pipeline.Birthday, dryRun: false);
        pipeline.Clock.Now = Pipeline.SendTime;
        await pipeline.Delivery.DeliverAsync(Pipeline.Birthday);
        var shared = (await pipeline.AllMessagesAsync(2)).Single(m => m.Status == MessageStatus.Sent);

        (await pipeline.Preferences.SubmitAsync(TokenOf(shared), OneClick)).StatusCode.Should().Be(200);

        foreach (var id in new[] { "C000000", "C000001" })
        {
            Contactability.Check((await pipeline.Store.GetAsync(id))!)!.Value.Code.Should().Be(ReasonCodes.OptedOut, $"{id} shares the address that unsubscribed");
        }

        Contactability.Check((await pipeline.Store.GetAsync("C000002"))!).Should().BeNull();
    }

    [Fact]
    public async Task Showing_the_page_changes_nothing_and_speaks_the_customers_language_without_their_address()
    {
        var (pipeline, sent) = await SentAsync(1);
        await using var _ = pipeline;
        var before = ProfileJson.Serialize((await pipeline.Store.GetAsync("C000000"))!);

        var page = await pipeline.Preferences.ShowAsync(TokenOf(sent[0]));
        await pipeline.Preferences.ShowAsync(TokenOf(sent[0]));

        page.StatusCode.Should().Be(200);
        page.ContentType.Should().Be(PreferenceResponse.Html);
        page.Body.Should().Contain("<html lang=\"it\">").And.Contain("Le tue preferenze email").And.Contain("Auguri di compleanno")
            .And.Contain("name=\"action\" value=\"unsubscribe\"").And.Contain("name=\"topic:birthday\" value=\"on\" checked")
            .And.NotContain("@", "a forwarded link shows no address").And.NotContain("<script").And.NotContain("src=");
        ProfileJson.Serialize((await pipeline.Store.GetAsync("C000000"))!).Should().Be(before, "mail scanners follow links: a GET changes nothing");
    }

    [Fact]
    public async Task A_token_the_product_did_not_make_gets_404_and_changes_nothing()
    {
        var (pipeline, sent) = await SentAsync(2);
        await using var _ = pipeline;
        var before = ProfileJson.Serialize((await pipeline.Store.GetAsync("C000000"))!);
        var token = TokenOf(sent[0]);
        var mac = token[(token.IndexOf('.') + 1)..];
        var otherKey = new Automation.Personalization.Links.PreferenceLinks(new Uri(TestLinks.BaseUrl),
            new Automation.Personalization.Links.LinkKeys([new byte[32]])).TokenFor(sent[0].MessageId);
        string[] forged =
        [
            token[..^1] + (token[^1] == 'A' ? 'B' : 'A'),
            $"{sent[1].MessageId}.{mac}",
            otherKey,
            token[..^4],
            sent[0].MessageId.Value,
            token + "A",
            "",
            "m.",
        ];

        foreach (var attempt in forged)
        {
            (await pipeline.Preferences.ShowAsync(attempt)).Should().Be(PreferenceResponse.NotFound, attempt);
            (await pipeline.Preferences.SubmitAsync(attempt, OneClick)).Should().Be(PreferenceResponse.NotFound, attempt);
        }

        ProfileJson.Serialize((await pipeline.Store.GetAsync("C000000"))!).Should().Be(before);
        Contactability.Check((await pipeline.Store.GetAsync("C000001"))!).Should().BeNull();
    }

    [Fact]
    public async Task Turning_a_topic_off_stops_only_that_triggers_messages_and_the_choices_are_recorded_with_their_source()
    {
        var (pipeline, sent) = await SentAsync(1);
        await using var _ = pipeline;
        var everythingButBirthday = new Dictionary<string, string> { ["action"] = "save", ["topic:churn_risk"] = "on", ["topic:pollen"] = "on", ["health"] = "on" };

        var saved = await pipeline.Preferences.SubmitAsync(TokenOf(sent[0]), everythingButBirthday);
        var recorded = (await pipeline.Store.GetAsync("C000000"))!;
        await pipeline.Preferences.SubmitAsync(TokenOf(sent[0]), everythingButBirthday);

        saved.Body.Should().Contain("Le tue preferenze sono state salvate.").And.Contain("name=\"topic:birthday\" value=\"on\">")
            .And.Contain("name=\"health\" value=\"on\" checked");
        var topic = recorded.Consents[ConsentChannels.Topic("birthday")].Explicit!;
        topic.Status.Should().Be(ConsentStatus.OptOut);
        topic.Source.Should().Be($"preference page, message {sent[0].MessageId}");
        topic.At.Should().Be(Pipeline.SendTime);
        recorded.Consents[ConsentChannels.HealthPersonalization].IsOptedIn.Should().BeTrue("the page is where the gradual consent for health data is given");
        recorded.Consents.Should().NotContainKey(ConsentChannels.Topic("pollen"), "a topic left as it was records nothing");
        ProfileJson.Serialize((await pipeline.Store.GetAsync("C000000"))!).Should().Be(ProfileJson.Serialize(recorded), "the same choices again change nothing");
        Contactability.Check(recorded).Should().BeNull("turning one topic off is not an unsubscribe");

        var withoutBirthday = await PlanNextBirthdayAsync(pipeline);
        withoutBirthday.Suppressed.Should().Equal(new Dictionary<string, long> { [ReasonCodes.TopicOff.Value] = 1 });
        var decision = (await pipeline.Log.GetCustomerMessagesAsync(new("C000000"))).Single(m => m.PlannedFor == NextBirthday);
        decision.ReasonCode.Should().Be(ReasonCodes.TopicOff);
        decision.Detail.Should().Be($"the customer turned birthday messages off on 2026-06-15 (preference page, message {sent[0].MessageId})");

        pipeline.Clock.Now = Pipeline.SendTime.Plus(Duration.FromHours(1));
        await pipeline.Preferences.SubmitAsync(TokenOf(sent[0]), new Dictionary<string, string> { ["action"] = "save", ["topic:birthday"] = "on" });
        (await PlanNextBirthdayAsync(pipeline)).Planned.Should().Be(1, "turned on again, birthday mail comes again");
    }

    [Fact]
    public async Task The_page_unsubscribes_and_subscribes_again_and_says_so()
    {
        var (pipeline, sent) = await SentAsync(1);
        await using var _ = pipeline;

        var unsubscribed = await pipeline.Preferences.SubmitAsync(TokenOf(sent[0]), new Dictionary<string, string> { ["action"] = "unsubscribe" });
        var optedOut = Contactability.Check((await pipeline.Store.GetAsync("C000000"))!);
        pipeline.Clock.Now = Pipeline.SendTime.Plus(Duration.FromMinutes(5));
        var resubscribed = await pipeline.Preferences.SubmitAsync(TokenOf(sent[0]), new Dictionary<string, string> { ["action"] = "resubscribe" });
        var unknown = await pipeline.Preferences.SubmitAsync(TokenOf(sent[0]), new Dictionary<string, string> { ["action"] = "delete-everything" });

        unsubscribed.Body.Should().Contain("Iscrizione annullata.").And.Contain("value=\"resubscribe\"");
        optedOut!.Value.Code.Should().Be(ReasonCodes.OptedOut);
        resubscribed.Body.Should().Contain("Sei di nuovo iscritto.").And.Contain("value=\"unsubscribe\"");
        Contactability.Check((await pipeline.Store.GetAsync("C000000"))!).Should().BeNull("a newer explicit opt-in from the customer lifts their opt-out");
        unknown.StatusCode.Should().Be(400);
    }

    public void Dispose()
    {
        _folder.Dispose();
        GC.SuppressFinalize(this);
    }
}

[Trait(Peers.Trait, Peers.Value)]
public sealed class SqlitePreferenceLinkTests : PreferenceLinkTests
{
    protected override Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync(TempFolder folder) => TestStores.SqliteAsync(folder);
}

[Trait(Peers.Trait, Peers.Value)]
public sealed class CosmosPreferenceLinkTests : PreferenceLinkTests
{
    protected override Task<IReadOnlyDictionary<string, string?>> StoreSettingsAsync(TempFolder folder) => TestStores.CosmosAsync();
}
