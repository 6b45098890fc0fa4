using Automation.MarketerConsole;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Automation.Functions.Marketing;

/// <summary>
/// The marketers' console (docs/console.md) at <c>/api/console/…</c>. Anonymous at the function level
/// because App Service Authentication with Microsoft Entra ID (infra/) signs people in before a request
/// reaches the app; the console admits only a request the platform signed in.
/// </summary>
public sealed class ConsolePages(IServiceProvider services)
{
    private const string Root = "/api/" + ConsoleEndpoints.Route;
    private static readonly PlatformSignIn Gate = new();

    [Function(nameof(ConsolePages))]
    public async Task<IActionResult> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = ConsoleEndpoints.Route + "/{*page}")] HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        var page = path.StartsWith(Root, StringComparison.OrdinalIgnoreCase) ? path[Root.Length..].Trim('/') : "";
        await ConsoleEndpoints.HandleAsync(request.HttpContext, Root, page, Gate, services);
        return new EmptyResult();
    }
}
