using Automation.Testing;
using Microsoft.Extensions.Configuration;
using NodaTime;

namespace Automation.Hosting.Tests;

/// <summary>The sample settings, templates and forecasts, and a day the sample customers are planned and mailed on.</summary>
internal static class SamplePipeline
{
    public static readonly Instant Now = Instant.FromUtc(2026, 11, 22, 5, 30);

    /// <summary>The day ahead of <see cref="Now"/>: the day a plan then plans.</summary>
    public static readonly LocalDate Day = new(2026, 11, 23);

    /// <summary>Inside the sample customers' send windows of <see cref="Day"/>: what is due then is delivered.</summary>
    public static readonly Instant DeliveryTime = Instant.FromUtc(2026, 11, 23, 16, 0);

    /// <summary>The samples' settings on <paramref name="store"/>, with an outbox of <paramref name="name"/> in <paramref name="folder"/>.</summary>
    public static IConfiguration Configuration(TempFolder folder, IReadOnlyDictionary<string, string?> store, string name, params (string Key, string Value)[] settings)
    {
        var samples = Path.Combine(SharedData.RepositoryRoot, "samples");
        var values = new Dictionary<string, string?>(store)
        {
            ["Automation:Personalization:TemplatesDirectory"] = Path.Combine(samples, "templates"),
            ["Automation:Pollen:ForecastFile"] = Path.Combine(samples, "pollen-forecasts.json"),
            ["Automation:Delivery:Outbox:Directory"] = folder.File(name + "-outbox"),
        };
        foreach (var (key, value) in TestLinks.Settings) values[key] = value;
        foreach (var (key, value) in settings) values[key] = value;
        return new ConfigurationBuilder().AddJsonFile(Path.Combine(samples, "settings.json")).AddInMemoryCollection(values).Build();
    }
}
