using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Automation.Testing;

/// <summary>Kestrel on 127.0.0.1 and a free port, quiet, for the fake HTTP peers.</summary>
public static class LoopbackServer
{
    /// <summary>
    /// Starts an app with the endpoints <paramref name="map"/> adds (and the services
    /// <paramref name="services"/> adds); returns it and its base URL.
    /// </summary>
    public static async Task<(WebApplication App, string BaseUrl)> StartAsync(Action<WebApplication> map, Action<IServiceCollection>? services = null)
    {
        Peers.EnsureAllowed("a Kestrel server");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        services?.Invoke(builder.Services);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return (app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
    }
}
