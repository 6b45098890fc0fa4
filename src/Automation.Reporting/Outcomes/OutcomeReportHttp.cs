using System.Text.Json;
using Microsoft.AspNetCore.Http;
using NodaTime;

namespace Automation.Reporting.Outcomes;

/// <summary>
/// The outcome report over HTTP, the same for every host (the Functions app, <c>serve</c>):
/// <c>GET …/report?from=&amp;to=&amp;as-of=&amp;window-days=&amp;trigger=</c> answers the JSON the command
/// line prints with <c>--json</c>, or with <c>format=html</c> (or a browser's Accept header) the page of
/// <c>--html</c>; a wrong value answers 400 with one sentence per problem. Who may ask
/// is the host's to decide (a function key, an access key).
/// </summary>
public static class OutcomeReportHttp
{
    public const string Route = "report";

    /// <summary>What the command line and the hosts write: camelCase, rates as fractions.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary><c>?format=html</c>, or a browser's request (HTML before JSON in its Accept header).</summary>
    private static bool WantsHtml(HttpRequest request)
    {
        if (request.Query["format"].ToString() is { Length: > 0 } format) return format.Equals("html", StringComparison.OrdinalIgnoreCase);
        var accept = request.Headers.Accept.ToString();
        var htmlAt = accept.IndexOf("text/html", StringComparison.OrdinalIgnoreCase);
        var jsonAt = accept.IndexOf("application/json", StringComparison.OrdinalIgnoreCase);
        return htmlAt >= 0 && (jsonAt < 0 || htmlAt < jsonAt);
    }

    public static async Task HandleAsync(OutcomeReport report, IClock clock, HttpContext context)
    {
        var query = context.Request.Query;
        var problems = new List<string>();
        var parsed = OutcomeQuery.Parse(query["from"], query["to"], query["as-of"], query["window-days"], query["trigger"],
            clock.GetCurrentInstant().InUtc().Date, problems);
        context.Response.Headers.CacheControl = "no-store";
        if (parsed is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(string.Join(" ", problems), context.RequestAborted);
            return;
        }

        var result = await report.BuildAsync(parsed, context.RequestAborted);
        if (WantsHtml(context.Request))
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            // The page is self-contained: it needs nothing from anywhere, so it may load nothing.
            context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";
            await context.Response.WriteAsync(OutcomeReportHtml.Render(result), context.RequestAborted);
            return;
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, result, Json, context.RequestAborted);
    }
}
