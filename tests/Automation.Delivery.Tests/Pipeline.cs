using Automation.Reporting;
using Automation.Rights;
using Automation.Rights.Preferences;
using Automation.Hosting;
using Automation.Ingestion;
using Automation.Delivery.SendGrid;
using Automation.Delivery.SendGrid.EventWebhook;
using Automation.Planning;
using Automation.Messages;
using Automation.Personalization;
using Automation.Profiles.Changes;
using Automation.Profiles.Model;
using Automation.Profiles.Storage;
using Automation.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Automation.Delivery.Tests;

/// <summary>The real pipeline on a store backend, composed as the hosts compose it, with a hand-set clock.</summary>
internal sealed class Pipeline : IAsyncDisposable
{
    public static readonly LocalDate Birthday = new(2026, 6, 15);
    /// <summary>09:00 in Rome on <see cref="Birthday"/>: when the window opens and the messages of the day are due.</summary>
    public static readonly Instant SendTime = Instant.FromUtc(2026, 6, 15, 7, 0);
    private readonly ServiceProvider _services;

    public Pipeline(TempFolder folder, IReadOnlyDictionary<string, string?> storeSettings, params (string Key, string Value)[] settings)
        : this(folder, storeSettings, null, settings)
    {
    }

    /// <param name="customize">Runs after the hosts' composition: how a test puts a fault into a real service.</param>
    public Pipeline(TempFolder folder, IReadOnlyDictionary<string, string?> storeSettings, Action<IServiceCollection>? customize, params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>(storeSettings)
        {
            ["Automation:Personalization:TemplatesDirectory"] = Path.Combine(SharedData.RepositoryRoot, "samples", "templates"),
            ["Automation:Personalization:FromAddress"] = "news@shop.example.com",
            ["Automation:Delivery:Outbox:Directory"] = folder.File("outbox"),
            ["Automation:Policies:DefaultTimeZone"] = "Europe/Rome",
        };
        foreach (var (key, value) in TestLinks.Settings) values[key] = value;
        foreach (var (key, value) in settings) values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddSingleton<IClock>(Clock).AddLogging();
        services.AddAutomationStore(configuration);
        services
            .AddAutomationIngestion(configuration)
            .AddAutomationPlanning(configuration)
            .AddAutomationPersonalization(configuration)
            .AddAutomationDelivery(configuration)
            .AddSendGridDelivery(configuration)
            .AddAutomationRights(configuration)
            .AddAutomationReporting();
        customize?.Invoke(services);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        OutboxDirectory = folder.File("outbox");
    }

    /// <summary>Early on the birthday, before any European send window opens.</summary>
    public FakeClock Clock { get; } = new(Instant.FromUtc(2026, 6, 15, 4, 0));

    public string OutboxDirectory { get; }
    public PlanningService Planning => _services.GetRequiredService<PlanningService>();
    public DeliveryService Delivery => _services.GetRequiredService<DeliveryService>();
    public IMessageLog Log => _services.GetRequiredService<IMessageLog>();
    public ICustomerProfileStore Store => _services.GetRequiredService<ICustomerProfileStore>();
    public EventWebhookHandler Webhook => _services.GetRequiredService<EventWebhookHandler>();
    public Feedback.FeedbackService Feedback => _services.GetRequiredService<Feedback.FeedbackService>();
    public PreferenceCenter Preferences => _services.GetRequiredService<PreferenceCenter>();
    public Rights.Access.CustomerDataExport Access => _services.GetRequiredService<Rights.Access.CustomerDataExport>();
    public Profiles.Erasure.ICustomerEraser Eraser => _services.GetRequiredService<Profiles.Erasure.ICustomerEraser>();

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public Task<Ingestion.FileIngestionResult> IngestAsync(string path) =>
        _services.GetRequiredService<Ingestion.IngestionService>().IngestAsync(new Ingestion.LocalExportFile(path));

    /// <summary>Customers born on 15 June who opted in to email in a consents export; <paramref name="emailOf"/> gives an id's address.</summary>
    public async Task AddCelebratingCustomersAsync(int count, string firstName = "Ada", Func<string, string>? emailOf = null)
    {
        var changes = new List<ProfileChange>();
        for (var i = 0; i < count; i++)
        {
            var id = $"C{i:D6}";
            changes.Add(new CustomerUpdate(id, new LineSource("sha256:customers", i + 2), Instant.FromUtc(2026, 1, 1, 0, 0))
            {
                Email = emailOf?.Invoke(id) ?? $"customer.{id.ToLowerInvariant()}@example.com",
                FirstName = firstName,
                BirthDate = new LocalDate(1990, 6, 15),
                TimeZone = "Europe/Rome",
                Locale = "it-IT",
            });
            changes.Add(TestChanges.Consent(id, ConsentStatus.OptIn, Instant.FromUtc(2026, 1, 2, 0, 0)));
        }

        await Store.ApplyAsync(changes);
    }

    public async Task<List<MessageRecord>> AllMessagesAsync(int customers)
    {
        var all = new List<MessageRecord>();
        for (var i = 0; i < customers; i++) all.AddRange(await Log.GetCustomerMessagesAsync(new($"C{i:D6}")));
        return all;
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
