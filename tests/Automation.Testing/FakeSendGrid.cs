using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Automation.Testing;

/// <summary>
/// SendGrid's mail send endpoint, served by Kestrel on 127.0.0.1 and shaped after the real API: 202 with
/// X-Message-Id and rate-limit headers; 400 with <c>{"errors":[{"message","field","help"}]}</c> naming the
/// first personalization whose address it refuses; 401 for a wrong key. Tests script other answers
/// (413 with an HTML body, 429 with X-RateLimit-Reset, 5xx, a response that never comes) in order.
/// </summary>
public sealed class FakeSendGrid : IAsyncDisposable
{
    public const string ApiKey = "SG.synthetic-test-key.not-a-real-secret";
    private WebApplication _app = null!;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _script = new();
    private int _messageIds;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Every request, accepted or not, in arrival order.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Addresses answered with a 400 naming their personalization, as SendGrid does for an invalid address.</summary>
    public ConcurrentDictionary<string, bool> RefusedAddresses { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The bodies of accepted requests: what SendGrid would send.</summary>
    public IEnumerable<JsonElement> Accepted => Requests.Where(r => r.Status == 202).Select(r => r.Body);

    /// <summary>Our message id of every accepted personalization, as many times as SendGrid accepted it.</summary>
    public IEnumerable<string> AcceptedMessageIds => Accepted
        .SelectMany(b => b.GetProperty("personalizations").EnumerateArray())
        .Select(p => p.GetProperty("custom_args").GetProperty("automation_message_id").GetString()!);

    public static async Task<FakeSendGrid> StartAsync()
    {
        var fake = new FakeSendGrid();
        (fake._app, fake.BaseUrl) = await LoopbackServer.StartAsync(app => app.MapPost("/v3/mail/send", fake.HandleAsync));
        return fake;
    }

    /// <summary>The next request gets this answer instead of the usual one.</summary>
    public void Then(Func<HttpContext, Task> answer) => _script.Enqueue(answer);

    public void ThenTooLarge() => Then(async context =>
    {
        context.Response.StatusCode = 413;
        context.Response.ContentType = "text/html";
        await context.Response.WriteAsync("<html><head><title>413 Request Entity Too Large</title></head><body><center><h1>413 Request Entity Too Large</h1></center></body></html>");
    });

    public void ThenRateLimited(long resetUnixSeconds) => Then(context =>
    {
        context.Response.StatusCode = 429;
        context.Response.Headers["X-RateLimit-Limit"] = "600";
        context.Response.Headers["X-RateLimit-Remaining"] = "0";
        context.Response.Headers["X-RateLimit-Reset"] = resetUnixSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ErrorsAsync(context, 429, "too many requests");
    });

    public void ThenServerError(int status = 500) => Then(context => ErrorsAsync(context, status, "internal error"));

    /// <summary>Reads the request and never answers: the client's timeout decides.</summary>
    public void ThenHang() => Then(context => Task.Delay(Timeout.Infinite, context.RequestAborted));

    private async Task HandleAsync(HttpContext context)
    {
        using var document = await JsonDocument.ParseAsync(context.Request.Body);
        var body = document.RootElement.Clone();
        var recorded = new RecordedRequest(context.Request.Headers.Authorization.ToString(), body);
        Requests.Enqueue(recorded);
        if (_script.TryDequeue(out var scripted))
        {
            await scripted(context);
            recorded.Status = context.Response.StatusCode;
            return;
        }

        recorded.Status = await AnswerAsync(context, recorded);
    }

    private async Task<int> AnswerAsync(HttpContext context, RecordedRequest request)
    {
        if (request.Authorization != "Bearer " + ApiKey)
        {
            await ErrorsAsync(context, 401, "The provided authorization grant is invalid, expired, or revoked");
            return 401;
        }

        var personalizations = request.Body.GetProperty("personalizations");
        var index = 0;
        foreach (var personalization in personalizations.EnumerateArray())
        {
            if (RefusedAddresses.ContainsKey(personalization.GetProperty("to")[0].GetProperty("email").GetString()!))
            {
                await ErrorsAsync(context, 400, "Does not contain a valid address.", $"personalizations.{index}.to.0.email",
                    "http://sendgrid.com/docs/API_Reference/Web_API_v3/Mail/errors.html#message.personalizations.to");
                return 400;
            }

            index++;
        }

        context.Response.StatusCode = 202;
        context.Response.Headers["X-Message-Id"] = $"fake-{Interlocked.Increment(ref _messageIds)}";
        context.Response.Headers["X-RateLimit-Limit"] = "600";
        context.Response.Headers["X-RateLimit-Remaining"] = "599";
        context.Response.Headers["X-RateLimit-Reset"] = DateTimeOffset.UtcNow.AddSeconds(60).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return 202;
    }

    /// <summary>SendGrid's error body: <c>{"errors":[{"message","field","help"}]}</c>.</summary>
    private static Task ErrorsAsync(HttpContext context, int status, string message, string? field = null, string? help = null)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { errors = new[] { new { message, field, help } } });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed class RecordedRequest(string authorization, JsonElement body)
{
    public string Authorization { get; } = authorization;
    public JsonElement Body { get; } = body;
    /// <summary>The answer's status; 0 while none was given (a hanging answer).</summary>
    public int Status { get; set; }
}
