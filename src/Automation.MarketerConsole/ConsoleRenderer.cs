using Automation.MarketerConsole.Pages;
using Automation.MarketerConsole.Text;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;

namespace Automation.MarketerConsole;

/// <summary>Renders a page component to HTML on the server and writes it: the browser gets markup and styles, no script.</summary>
internal static class ConsoleRenderer
{
    /// <summary>What every page may load: its own inline styles and nothing else.</summary>
    private const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'";

    public static async Task WriteAsync<TPage>(HttpContext context, Dictionary<string, object?> parameters, int status = StatusCodes.Status200OK)
        where TPage : IComponent
    {
        await using var renderer = new HtmlRenderer(context.RequestServices, NullLoggerFactory.Instance);
        var host = new Dictionary<string, object?> { ["Page"] = typeof(TPage), ["Parameters"] = parameters, ["Text"] = ConsoleText.Of(context) };
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
            (await renderer.RenderComponentAsync<PageHost>(ParameterView.FromDictionary(host))).ToHtmlString());
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        await context.Response.WriteAsync("<!DOCTYPE html>\n" + html, context.RequestAborted);
    }
}
