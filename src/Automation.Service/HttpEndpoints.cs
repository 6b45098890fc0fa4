using Automation.Personalization;
using Automation.Personalization.Links;
using Automation.MarketerConsole;
using Automation.Reporting.Outcomes;
using Automation.Rights.Preferences;
using NodaTime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Automation.Service;

/// <summary>
/// The HTTP side of <c>serve</c>: Kestrel at <c>Automation:Service:Urls</c> answers the links in mail
/// (<c>{path of PublicBaseUrl}/preferences/{token}</c>, GET and POST) and, when
/// <c>Automation:Service:AccessKey</c> is set, the marketers' console (<c>{path}/console</c>, behind
/// sign-in) and the outcome report (<c>{path}/report</c>, GET, signed in or with the key in
/// <see cref="ConsoleAccess.KeyHeader"/>); nothing else.
/// </summary>
public sealed class HttpEndpoints(
    PreferenceCenter center, OutcomeReport report, IClock clock, PersonalizationSettings personalization, ServiceSettings settings,
    IServiceProvider services, ILogger<HttpEndpoints> logger)
    : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The addresses it listens on, with the ports Kestrel chose for port 0.</summary>
    public IReadOnlyList<string> Addresses { get; private set; } = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (settings.Urls.Count == 0)
        {
            logger.LogWarning("Automation:Service:Urls is none: the links in mail are not answered by this service.");
            return;
        }

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls([.. settings.Urls.Select(u => u.AbsoluteUri.TrimEnd('/'))]);
        builder.Services.AddRoutingCore();
        _app = builder.Build();
        var basePath = new Uri(personalization.PublicBaseUrl).AbsolutePath.TrimEnd('/');
        _app.MapMethods($"{basePath}/{PreferenceLinks.Route}/{{token}}", [HttpMethods.Get, HttpMethods.Head, HttpMethods.Post],
            (HttpContext context, string token) => PreferenceHttp.HandleAsync(center, context, token));
        if (settings.AccessKey is { } key)
        {
            var access = new ConsoleAccess(key);
            _app.MapGet($"{basePath}/{OutcomeReportHttp.Route}", async (HttpContext context) =>
            {
                if (!access.Admits(context.Request))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return;
                }

                await OutcomeReportHttp.HandleAsync(report, clock, context);
            });
            ConsoleEndpoints.Map(_app, basePath, access, services);
        }

        await _app.StartAsync(cancellationToken);
        Addresses = [.. _app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses];
        logger.LogInformation("Answering the links in mail at {Addresses}{Path}", string.Join(", ", Addresses), $"{basePath}/{PreferenceLinks.Route}/");
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null) await _app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}
