using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Automation.Testing;
using FluentAssertions;
using Xunit;

namespace Automation.Cli.Tests;

/// <summary>The main job with a SendGrid key (sandbox mode, against the fake SendGrid), and feedback from its events.</summary>
[Trait(Peers.Trait, Peers.Value)]
public sealed class SendGridCliTests : IAsyncLifetime
{
    /// <summary>
    /// The program's clock starts on the morning before <see cref="Day"/> (Automation:Clock:Now): every
    /// zone's send window for it is still open and within SendGrid's 72-hour scheduling reach (a far-off
    /// day would wait in the queue).
    /// </summary>
    private const string Now = "2026-11-20T06:00:00Z";
    private const string Day = "2026-11-21";
    private readonly TempFolder _folder = new();
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private FakeSendGrid _sendGrid = null!;

    public async Task InitializeAsync() => _sendGrid = await FakeSendGrid.StartAsync();

    [Fact]
    public async Task With_a_key_and_sandbox_mode_the_main_job_sends_to_SendGrid_and_feedback_suppresses_a_bounced_customer()
    {
        var (exit, output, error) = await Run("run", "--date", Day);

        exit.Should().Be(0, error);
        var sent = _sendGrid.AcceptedMessageIds.ToList();
        sent.Should().NotBeEmpty().And.OnlyHaveUniqueItems();
        _sendGrid.Accepted.Should().OnlyContain(b => b.GetProperty("mail_settings").GetProperty("sandbox_mode").GetProperty("enable").GetBoolean());
        output.Should().Contain($"sent {sent.Count} to SendGrid 127.0.0.1 (sandbox mode").And.Contain($"SendGrid: {sent.Count} API call(s)");
        Directory.Exists(_folder.File("outbox")).Should().BeFalse("with a SendGrid key nothing goes to the outbox");
        (await Run("run", "--date", Day)).Output.Should().Contain("sent 0 to SendGrid");
        _sendGrid.AcceptedMessageIds.Should().HaveCount(sent.Count);

        var events = _folder.File("events.json");
        await File.WriteAllTextAsync(events, JsonSerializer.Serialize(new[]
        {
            new Dictionary<string, object>
            {
                ["email"] = "someone@example.com", ["timestamp"] = 4_085_000_000L, ["event"] = "bounce", ["type"] = "bounce",
                ["reason"] = "550 5.1.1 user unknown", ["sg_event_id"] = "ev-1", ["automation_message_id"] = sent[0],
            },
        }));
        var (feedbackExit, feedback, feedbackError) = await Run("feedback", events, "--json");
        var replay = await Run("feedback", events, "--json");

        feedbackExit.Should().Be(0, feedbackError);
        var summary = JsonDocument.Parse(feedback).RootElement;
        summary.GetProperty("recorded").GetInt64().Should().Be(1);
        summary.GetProperty("consentChanges").GetProperty("bounce").GetInt64().Should().Be(1);
        JsonDocument.Parse(replay.Output).RootElement.GetProperty("duplicates").GetInt64().Should().Be(1);
    }

    [Fact]
    public async Task Feedback_with_a_signature_that_does_not_match_is_refused()
    {
        var events = _folder.File("events.json");
        await File.WriteAllTextAsync(events, """[{"event":"delivered","timestamp":4085000000,"automation_message_id":"m1"}]""");
        var timestamp = DateTimeOffset.Parse(Now, CultureInfo.InvariantCulture).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(_key.SignData(Encoding.UTF8.GetBytes(timestamp + "[]"), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

        var (exit, _, error) = await Run("feedback", events, "--signature", signature, "--timestamp", timestamp);

        exit.Should().Be(1);
        error.Should().Contain("signature does not match");
    }

    private Task<(int ExitCode, string Output, string Error)> Run(params string[] args)
    {
        var environment = new Dictionary<string, string>
        {
            ["Automation__Clock__Now"] = Now,
            ["Automation__Delivery__Outbox__Directory"] = _folder.File("outbox"),
            ["Automation__Run__InboxDirectory"] = SampleInbox.CopyTo(_folder),
            ["Automation__SendGrid__ApiKey"] = FakeSendGrid.ApiKey,
            ["Automation__SendGrid__BaseUrl"] = _sendGrid.BaseUrl,
            ["Automation__SendGrid__SandboxMode"] = "true",
            ["Automation__SendGrid__UnsubscribeGroupId"] = "4242",
            ["Automation__SendGrid__EventWebhook__PublicKey"] = Convert.ToBase64String(_key.ExportSubjectPublicKeyInfo()),
        };
        return CliProcess.RunAsync(
            new[] { "--settings", "samples/settings.json", "--data-dir", _folder.File("store") }.Concat(args), SharedData.RepositoryRoot, environment);
    }

    public async Task DisposeAsync()
    {
        await _sendGrid.DisposeAsync();
        _key.Dispose();
        _folder.Dispose();
    }
}
