using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Automation.Rights.Preferences;

/// <summary>The preference link over HTTP, the same in the Functions app and in <c>serve</c>.</summary>
public static class PreferenceHttp
{
    /// <summary>A form of this page is a few hundred bytes; anything much larger is not one.</summary>
    private const int MaxFormBytes = 16 * 1024;

    /// <summary>GET shows, POST submits (a one-click POST too); the answer is written to the response.</summary>
    public static async Task HandleAsync(PreferenceCenter center, HttpContext context, string token)
    {
        var request = context.Request;
        var cancellationToken = context.RequestAborted;
        PreferenceResponse response;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) response = await center.ShowAsync(token, cancellationToken);
        else if (!HttpMethods.IsPost(request.Method)) response = new(405, PreferenceResponse.PlainText, "GET or POST.");
        else if (await ReadFormAsync(request, cancellationToken) is { } form) response = await center.SubmitAsync(token, form, cancellationToken);
        else response = new(413, PreferenceResponse.PlainText, "The form is too large.");
        await WriteAsync(context.Response, response);
    }

    private static async Task<IReadOnlyDictionary<string, string>?> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxFormBytes) return null;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            return form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        }

        // RFC 8058 names the body, not its content type: read a bare one as a form too.
        var buffer = new byte[MaxFormBytes + 1];
        var read = 0;
        while (read < buffer.Length && await request.Body.ReadAsync(buffer.AsMemory(read), cancellationToken) is > 0 and var count) read += count;
        if (read > MaxFormBytes) return null;
        return QueryHelpers.ParseQuery(System.Text.Encoding.UTF8.GetString(buffer, 0, read)).ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
    }

    private static async Task WriteAsync(HttpResponse http, PreferenceResponse response)
    {
        http.StatusCode = response.StatusCode;
        http.ContentType = response.ContentType;
        // The token is in the address: nothing keeps, indexes or passes it on; the page runs no script and loads nothing.
        http.Headers.CacheControl = "no-store";
        http.Headers["X-Robots-Tag"] = "noindex";
        http.Headers["Referrer-Policy"] = "no-referrer";
        http.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";
        http.Headers.XContentTypeOptions = "nosniff";
        await http.WriteAsync(response.Body, System.Text.Encoding.UTF8);
    }
}
