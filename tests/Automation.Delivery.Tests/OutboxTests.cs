using Automation.Messages;
using Automation.Delivery.Outbox;
using Automation.Personalization;
using Automation.Testing;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Delivery.Tests;

public sealed class OutboxTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private OutboxSender Sender() => new(
        new DeliverySettings(_folder.File("outbox"), 100, Duration.FromMinutes(15)),
        new PersonalizationSettings("templates", "en", TestLinks.BaseUrl, null, "news@shop.example.com", "Магазин Example"));

    private static RenderedMessage Message(string id = "m0123456789abcdef") => new(
        new MessageId(id), "C1", "birthday", "customer.c1@example.com", "Анна Пример", "ru",
        "С днём рождения, Анна! 🎂",
        "<p>С днём рождения, Анна!</p><p>Скидка 15%</p><a href=\"https://shop.example.com/unsubscribe/" + id + "\">Отписаться</a>",
        "С днём рождения, Анна!\nСкидка 15%\nОтписаться: https://shop.example.com/unsubscribe/" + id,
        "https://shop.example.com/unsubscribe/" + id,
        new Dictionary<string, object> { ["first_name"] = "Анна" });

    /// <summary>A fresh sender each time, as a new run would have.</summary>
    private async Task<List<SendOutcome>> SendAsync(params OutgoingMessage[] batch)
    {
        var journal = new RecordingJournal();
        await Sender().SendAsync(batch, journal);
        journal.Marked.Should().BeEmpty("the outbox is idempotent per message id and needs no sending mark");
        return journal.Outcomes;
    }

    [Fact]
    public async Task Each_message_becomes_a_standard_multipart_alternative_utf8_eml_file()
    {
        var sendAt = Instant.FromUtc(2026, 6, 15, 7, 0);

        var outcome = (await SendAsync(new OutgoingMessage(Message(), sendAt))).Single();

        outcome.Result.Should().Be(SendResult.Sent);
        var mail = MimeMessage.Parse(await File.ReadAllTextAsync(_folder.File("outbox/m0123456789abcdef.eml")));
        mail.Header("MIME-Version").Should().Be("1.0");
        mail.Decoded("From").Should().Be("Магазин Example <news@shop.example.com>");
        mail.Decoded("To").Should().Be("Анна Пример <customer.c1@example.com>");
        mail.Decoded("Subject").Should().Be("С днём рождения, Анна! 🎂");
        mail.Header("Subject").Should().StartWith("=?utf-8?", "non-ASCII header text is encoded as RFC 2047 words");
        mail.Header("List-Unsubscribe").Should().Be("<https://shop.example.com/unsubscribe/m0123456789abcdef>");
        mail.Header("List-Unsubscribe-Post").Should().Be("List-Unsubscribe=One-Click");
        mail.Header("Message-ID").Should().Be("<m0123456789abcdef@shop.example.com>");
        mail.Header("Content-Language").Should().Be("ru");
        mail.Header("X-Automation-Send-At").Should().Be("2026-06-15T07:00:00Z");
        mail.Header("Content-Type").Should().StartWith("multipart/alternative;");

        mail.Parts.Select(p => p.Header("Content-Type")).Should().Equal("text/plain; charset=utf-8", "text/html; charset=utf-8");
        mail.Parts.Should().OnlyContain(p => p.Header("Content-Transfer-Encoding") == "base64");
        mail.Parts[0].DecodedBody().Should().Be(Message().Text);
        mail.Parts[1].DecodedBody().Should().Be(Message().Html);
        (await File.ReadAllTextAsync(_folder.File("outbox/m0123456789abcdef.eml"))).Should().MatchRegex("^[\\x00-\\x7F]*$", "the file itself is 7-bit clean");
    }

    [Fact]
    public async Task Sending_a_message_again_adds_no_file_and_no_index_line()
    {
        var sendAt = Instant.FromUtc(2026, 6, 15, 7, 0);
        await SendAsync(new OutgoingMessage(Message("m1"), sendAt), new OutgoingMessage(Message("m2"), sendAt));

        var again = await SendAsync(new OutgoingMessage(Message("m1"), sendAt));

        again.Single().Result.Should().Be(SendResult.Sent);
        Directory.GetFiles(_folder.File("outbox"), "*.eml").Select(Path.GetFileName).Should().BeEquivalentTo(["m1.eml", "m2.eml"]);
        var index = await File.ReadAllLinesAsync(_folder.File("outbox/index.jsonl"));
        index.Should().HaveCount(2);
        index[0].Should().Contain("\"messageId\":\"m1\"").And.Contain("\"file\":\"m1.eml\"").And.NotContain("@example.com", "the index holds no addresses");
        Directory.Exists(_folder.File("outbox/.staging/m1")).Should().BeFalse();
    }

    public void Dispose() => _folder.Dispose();
}
