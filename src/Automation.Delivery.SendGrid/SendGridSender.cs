using System.Globalization;
using System.Text.RegularExpressions;
using Automation.Profiles.Model;
using NodaTime;
using Polly;
using Polly.Retry;

namespace Automation.Delivery.SendGrid;

/// <summary>
/// Delivery through SendGrid's mail send API, at most once: SendGrid has no idempotency key, so every
/// message is marked sending before its request and settled after; only answers that prove SendGrid
/// did not take a request (5xx, 429, a connection that never opened) are retried, with bounded
/// exponential backoff and jitter. A timeout leaves the messages unknown, never resent.
/// </summary>
public sealed partial class SendGridSender : IMessageSender
{
    /// <summary>SendGrid schedules at most 72 hours ahead.</summary>
    public static readonly Duration MaxScheduleAhead = Duration.FromHours(72);

    /// <summary>The named HttpClient: base URL, bearer key and timeout come with it.</summary>
    public const string HttpClientName = "SendGrid";

    private readonly IHttpClientFactory _httpClients;
    private readonly SendGridSettings _settings;
    private readonly IClock _clock;
    private readonly ResiliencePipeline<MailSendResponse> _retries;

    public SendGridSender(IHttpClientFactory httpClients, SendGridSettings settings, IClock clock)
    {
        _httpClients = httpClients;
        _settings = settings;
        _clock = clock;
        _retries = new ResiliencePipelineBuilder<MailSendResponse>()
            .AddRetry(new RetryStrategyOptions<MailSendResponse>
            {
                // Polly wants at least one attempt; MaxRetries 0 is honoured by ShouldHandle handling nothing.
                MaxRetryAttempts = Math.Max(1, settings.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.RetryBaseDelay,
                MaxDelay = TimeSpan.FromMinutes(1),
                ShouldHandle = args => ValueTask.FromResult(settings.MaxRetries > 0 && args.Outcome.Result is { } response && IsRetryable(response)),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.RateLimitReset is { } reset ? RateLimitWait(reset) : (TimeSpan?)null),
            })
            .Build();
    }

    public Duration? SchedulingHorizon => MaxScheduleAhead;

    /// <summary>
    /// SendGrid takes only ASCII local parts (its address syntax lists the ASCII letters, digits and
    /// specials); a Unicode local part is refused as invalid.
    /// </summary>
    public static readonly AddressSupport SupportedAddresses = new("SendGrid", NonAsciiLocalParts: false);

    public async Task<int> SendAsync(IReadOnlyList<OutgoingMessage> batch, ISendJournal journal, CancellationToken cancellationToken = default)
    {
        // A client per batch from the factory, which rotates connections so DNS changes are followed.
        var requests = new BatchRequests(new MailSendClient(_httpClients.CreateClient(HttpClientName), _settings));
        foreach (var request in MailSendRequest.Plan(batch, _settings, _clock.GetCurrentInstant()))
        {
            await SendAsync(request, journal, requests, cancellationToken);
        }

        return requests.Count;
    }

    private async Task SendAsync(MailSendRequest request, ISendJournal journal, BatchRequests requests, CancellationToken cancellationToken)
    {
        await journal.SendingAsync(request.Messages, cancellationToken);
        // Serialised once: a retry sends the very same request.
        var body = request.Build(_settings).Serialize();
        MailSendResponse response;
        try
        {
            response = await _retries.ExecuteAsync(async token =>
            {
                requests.Count++;
                return await requests.Client.PostMailAsync(body, token);
            }, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            await journal.RecordAsync(All(request, SendResult.Unknown, "delivery was stopped while this request was under way"), CancellationToken.None);
            throw;
        }

        switch (response.Outcome)
        {
            case MailSendOutcome.Accepted:
                await journal.RecordAsync(All(request, SendResult.Sent, response.Detail), cancellationToken);
                break;
            case MailSendOutcome.BadRequest:
                await IsolateAsync(request, response, journal, requests, cancellationToken);
                break;
            case MailSendOutcome.TooLarge when request.Messages.Count > 1:
                var half = request.Messages.Count / 2;
                await SendAsync(request.With(request.Messages.Take(half).ToList()), journal, requests, cancellationToken);
                await SendAsync(request.With(request.Messages.Skip(half).ToList()), journal, requests, cancellationToken);
                break;
            case MailSendOutcome.TooLarge:
                await journal.RecordAsync(All(request, SendResult.Rejected, "the message is larger than SendGrid accepts (413)"), cancellationToken);
                break;
            case MailSendOutcome.Unauthorized or MailSendOutcome.Forbidden:
                await journal.RecordAsync(All(request, SendResult.Failed, response.Detail), cancellationToken);
                throw new SendGridConfigurationException(response.Outcome == MailSendOutcome.Unauthorized
                    ? $"SendGrid refused the API key ({response.Detail}). Set {SendGridSettings.Section}:ApiKey to a key with the Mail Send permission."
                    : $"SendGrid forbade sending ({response.Detail}). The API key lacks the Mail Send permission, or {_settings.FromEmail} is not a verified sender (SendGrid: Settings > Sender Authentication).");
            case MailSendOutcome.Ambiguous:
                await journal.RecordAsync(All(request, SendResult.Unknown, response.Detail), cancellationToken);
                break;
            default:
                await journal.RecordAsync(All(request, SendResult.Failed, response.Detail + "; the next delivery run tries again"), cancellationToken);
                break;
        }
    }

    /// <summary>
    /// A 400 names what is wrong by field. Errors naming personalizations (recipients) reject those
    /// messages and the rest go again in a new request; an error about the request as a whole (template,
    /// sender, content) would fail any part of it alike, so it rejects them all.
    /// </summary>
    private async Task IsolateAsync(MailSendRequest request, MailSendResponse response, ISendJournal journal, BatchRequests requests, CancellationToken cancellationToken)
    {
        var named = response.Errors.Select(e => (Error: e, Index: PersonalizationIndex(e.Field))).ToList();
        if (request.Messages.Count == 1 || named.Count == 0 || named.Any(n => n.Index is null || n.Index >= request.Messages.Count))
        {
            await journal.RecordAsync(All(request, SendResult.Rejected, response.Detail), cancellationToken);
            return;
        }

        var rejected = named.GroupBy(n => n.Index!.Value).ToDictionary(g => g.Key, g => string.Join("; ", g.Select(n => $"{n.Error.Message} ({n.Error.Field})")));
        await journal.RecordAsync(
            rejected.Select(r => new SendOutcome(request.Messages[r.Key].Message.MessageId, SendResult.Rejected, "400: " + r.Value)).ToList(), cancellationToken);
        var rest = request.Messages.Where((_, i) => !rejected.ContainsKey(i)).ToList();
        if (rest.Count > 0) await SendAsync(request.With(rest), journal, requests, cancellationToken);
    }

    private bool IsRetryable(MailSendResponse response) => response.Outcome switch
    {
        MailSendOutcome.ServerError or MailSendOutcome.NotSent => true,
        MailSendOutcome.RateLimited => response.RateLimitReset is not { } reset || reset - _clock.GetCurrentInstant() <= _settings.MaxRateLimitWait,
        _ => false,
    };

    private TimeSpan RateLimitWait(Instant reset)
    {
        var wait = reset - _clock.GetCurrentInstant();
        return wait > Duration.Zero ? wait.ToTimeSpan() : TimeSpan.Zero;
    }

    private static List<SendOutcome> All(MailSendRequest request, SendResult result, string detail) =>
        request.Messages.Select(m => new SendOutcome(m.Message.MessageId, result, detail)).ToList();

    private static int? PersonalizationIndex(string? field) =>
        field is not null && PersonalizationField().Match(field) is { Success: true } match
            ? int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"^personalizations\.(\d+)(\.|$)")]
    private static partial Regex PersonalizationField();

    /// <summary>One batch's client and the requests it made, retries and splits included.</summary>
    private sealed class BatchRequests(MailSendClient client)
    {
        public MailSendClient Client { get; } = client;
        public int Count { get; set; }
    }
}

/// <summary>SendGrid refused the account's configuration (401/403); delivery stops until a person fixes it.</summary>
public sealed class SendGridConfigurationException(string message) : Exception(message);
