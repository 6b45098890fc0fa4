using Automation.Hosting;
using Automation.Testing;
using FluentAssertions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;

namespace Automation.Service.Tests;

/// <summary>
/// <c>automation serve</c> in this process, as the command composes it (AddAutomation and
/// AddAutomationService over the sample settings), on a folder of its own and a hand-set clock.
/// Starting it again on the same folder is a restart: store, inbox and outbox carry over.
/// </summary>
internal sealed class ServiceHarness(TempFolder folder, IReadOnlyDictionary<string, string?> storeSettings, FakeClock clock)
{
    private IHost? _host;
    private Task? _running;
    private Settings.ServeRestart? _restart;

    public string Inbox { get; } = Directory.CreateDirectory(folder.File("inbox")).FullName;
    public string Outbox => folder.File("outbox");
    public FakeClock Clock => clock;

    /// <summary>The settings file the console writes its changes to (none until it does).</summary>
    public string SettingsFile => folder.File("settings.json");

    /// <summary>Whether the service stopped to start again on changed settings.</summary>
    public bool RestartRequested { get; private set; }

    /// <summary>Every message handed to the sender, across restarts: a message handed over twice is a second email.</summary>
    public List<string> HandedOver { get; } = [];

    public ServiceActivity Activity => _host!.Services.GetRequiredService<ServiceActivity>();

    public IServiceProvider Services => _host!.Services;

    /// <summary>Where the running service answers the links in its mail (Kestrel picked the port).</summary>
    public string ListenerAddress => _host!.Services.GetServices<IHostedService>().OfType<HttpEndpoints>().Single().Addresses.Single();

    /// <summary>The three sample exports, copied in as a data team would drop them.</summary>
    public void DropSampleExports()
    {
        foreach (var name in new[] { "customers.csv", "transactions.csv", "consents.csv" })
        {
            File.Copy(Path.Combine(SharedData.RepositoryRoot, "samples", "inbox", name), Path.Combine(Inbox, name));
        }
    }

    /// <param name="customize">Runs after the service's composition: how a test makes it stop at a chosen point.</param>
    /// <param name="settings">Read after everything else, as serve reads environment variables.</param>
    public async Task StartAsync(Action<IServiceCollection>? customize = null, params (string Key, string Value)[] settings)
    {
        var samples = Path.Combine(SharedData.RepositoryRoot, "samples");
        var values = new Dictionary<string, string?>(storeSettings)
        {
            [ServiceSettings.InboxKey] = Inbox,
            ["Automation:Service:PollMilliseconds"] = "20",
            ["Automation:Personalization:TemplatesDirectory"] = Path.Combine(samples, "templates"),
            ["Automation:Pollen:ForecastFile"] = Path.Combine(samples, "pollen-forecasts.json"),
            ["Automation:Delivery:Outbox:Directory"] = Outbox,
            // Kestrel picks a free port: tests run side by side.
            ["Automation:Service:Urls"] = "http://127.0.0.1:0",
        };
        // The settings file the console changes comes after the defaults, as serve's --settings file does, and the test's
        // own settings after it, as environment variables do.
        IConfiguration Configuration(Stream? settingsContent)
        {
            var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(samples, "settings.json")).AddInMemoryCollection(values);
            configuration = settingsContent is null ? configuration.AddJsonFile(SettingsFile, optional: true) : configuration.AddJsonStream(settingsContent);
            return configuration.AddInMemoryCollection(settings.Select(setting => new KeyValuePair<string, string?>(setting.Key, setting.Value))).Build();
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddConfiguration(Configuration(null));
        builder.Services.AddSingleton<IClock>(clock);
        builder.Services.AddAutomationService(builder.Configuration).AddServeSettingsFile(SettingsFile, content => Configuration(content));
        builder.Services.RecordHandOvers(HandedOver);
        customize?.Invoke(builder.Services);
        _host = builder.Build();
        _host.Services.ValidateAutomationSettings(sending: true);
        _restart = _host.Services.GetRequiredService<Settings.ServeRestart>();
        _running = _host.RunAsync();
        await Task.Yield();
    }

    /// <summary>Passes until one after <paramref name="done"/> holds has nothing to do.</summary>
    public async Task WaitUntilCaughtUpAsync(Func<ServiceActivity, bool>? done = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var idlePasses = 0;
        // Two idle passes in a row: the first may have begun before the test's last change.
        while (idlePasses < 2 || !(done?.Invoke(Activity) ?? true))
        {
            var pass = await Activity.NextPassAsync().WaitAsync(timeout.Token);
            pass.Errors.Should().Be(0, "no pass fails in these tests");
            idlePasses = pass.Idle ? idlePasses + 1 : 0;
        }
    }

    /// <summary>A stop as SIGTERM makes it: the host stops its service and waits for it.</summary>
    public async Task StopAsync()
    {
        _host!.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        await WaitStoppedAsync();
    }

    /// <summary>Waits for a stop that something inside the service asked for.</summary>
    public async Task WaitStoppedAsync()
    {
        await _running!.WaitAsync(TimeSpan.FromSeconds(60));
        RestartRequested = _restart!.Requested;
        _host = null;
    }

    /// <summary>What the store holds, as comparable text: every profile and every message with its status.</summary>
    public async Task<List<string>> SnapshotAsync()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddJsonFile(Path.Combine(SharedData.RepositoryRoot, "samples", "settings.json")).AddInMemoryCollection(storeSettings);
        builder.Services.AddSingleton<IClock>(clock).AddAutomation(builder.Configuration);
        using var host = builder.Build();
        return await StoreSnapshot.TakeAsync(host.Services);
    }
}
