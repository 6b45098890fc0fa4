using Automation.Hosting;
using Automation.ContextSources.Areas;
using Automation.ContextSources.Pollen;
using Automation.Profiles.Storage;
using Automation.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Automation.ContextSources.Tests;

/// <summary>The pollen context on a store backend, composed as the hosts compose it, against the fake APIs.</summary>
internal sealed class PollenHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public PollenHarness(IReadOnlyDictionary<string, string?> storeSettings, FakePollenApis apis, FakeClock clock, params (string Key, string Value)[] settings)
        : this(storeSettings, apis, clock, firstHook: null, settings)
    {
    }

    /// <param name="firstHook">A commit hook whose followers run before the host's own.</param>
    public PollenHarness(
        IReadOnlyDictionary<string, string?> storeSettings, FakePollenApis apis, FakeClock clock, IProfileCommitHook? firstHook, params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>(storeSettings)
        {
            ["Automation:Pollen:OpenMeteo:BaseUrl"] = apis.BaseUrl,
            ["Automation:Pollen:Google:BaseUrl"] = apis.BaseUrl,
            ["Automation:Pollen:Google:ApiKey"] = FakePollenApis.GoogleKey,
            ["Automation:Pollen:Google:Countries:0"] = "US",
            // Generous: a cold Kestrel on a busy two-core machine must not look like a timeout.
            ["Automation:Pollen:RequestTimeoutSeconds"] = "10",
            ["Automation:Pollen:RetryBaseDelaySeconds"] = "0.01",
        };
        foreach (var (key, value) in settings) values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddSingleton<IClock>(clock).AddLogging();
        if (firstHook is not null) services.AddSingleton(firstHook);
        services.AddAutomationContext(configuration);
        services.AddAutomationStore(configuration);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    public PollenForecastService Pollen => _services.GetRequiredService<PollenForecastService>();
    public IForecastAreaStore Areas => _services.GetRequiredService<IForecastAreaStore>();
    public IPollenForecastCache Cache => _services.GetRequiredService<IPollenForecastCache>();
    public ICustomerProfileStore Profiles => _services.GetRequiredService<ICustomerProfileStore>();

    public async Task<List<ForecastArea>> ReadAreasAsync()
    {
        var areas = new List<ForecastArea>();
        await foreach (var area in Areas.ReadAreasAsync()) areas.Add(area);
        return areas;
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
