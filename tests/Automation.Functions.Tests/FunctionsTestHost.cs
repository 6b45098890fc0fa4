using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;
using Automation.Hosting;
using Automation.Testing;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;

namespace Automation.Functions.Tests;

/// <summary>
/// What the Functions host does for the app, done by the test: the worker cannot start here (it needs
/// the host's gRPC endpoint, and Core Tools cannot be installed), so this builds the app exactly as
/// functions/Program.cs does and calls its functions as functions.metadata binds them. Blobs and queues
/// are real (Azurite); queue messages travel base64-encoded as host.json's messageEncoding says; an
/// output binding's value goes onto the queue it names; HTTP arrives through Kestrel.
/// </summary>
internal sealed class FunctionsTestHost : IAsyncDisposable
{
    private readonly IHost _app;
    private readonly string _connectionString;
    private WebApplication? _http;

    private FunctionsTestHost(IHost app, string connectionString, BlobContainerClient exports)
    {
        _app = app;
        _connectionString = connectionString;
        Exports = exports;
    }

    public IServiceProvider Services => _app.Services;

    /// <summary>The app's clock, which a test moves on (to a send time, say).</summary>
    public FakeClock Clock => (FakeClock)Services.GetRequiredService<IClock>();

    public IConfiguration Configuration => Services.GetRequiredService<IConfiguration>();

    public BlobContainerClient Exports { get; }

    /// <summary>
    /// The app on the sample settings with <paramref name="settings"/> over them, its clock stopped at
    /// <paramref name="now"/>, storage on Azurite, and empty work queues (the tests of this assembly that
    /// use them run one at a time).
    /// </summary>
    /// <summary>The app on a fresh store of <paramref name="backend"/>, delivering to an outbox in <paramref name="folder"/>, with <paramref name="settings"/> over that.</summary>
    public static async Task<FunctionsTestHost> StartOnAsync(string backend, TempFolder folder, Instant now, params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>(await TestStores.ForBackendAsync(backend, folder, "store"))
        {
            ["Automation:Delivery:Outbox:Directory"] = folder.File("outbox"),
        };
        foreach (var (key, value) in settings) values[key] = value;
        return await StartAsync(values, now);
    }

    public static async Task<FunctionsTestHost> StartAsync(IReadOnlyDictionary<string, string?> settings, Instant now, Action<IServiceCollection>? services = null)
    {
        var azurite = await AzuriteTestServer.GetAsync();
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration
            // The host's own app settings (schedules, the exports container) as the sample lists them;
            // the pipeline's settings from the samples, as the command line's run reads them.
            .AddInMemoryCollection(FunctionsAppSettings.Sample().Where(s => !s.Key.StartsWith("Automation:", StringComparison.Ordinal)))
            .AddJsonFile(FunctionsMetadata.RepositoryFile("samples", "settings.json"))
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = azurite.ConnectionString,
                ["ExportsContainer"] = "exports-" + Guid.NewGuid().ToString("N")[..12],
                // The samples' relative paths, from the repository rather than the test's folder.
                ["Automation:Personalization:TemplatesDirectory"] = FunctionsMetadata.RepositoryFile("samples", "templates"),
                ["Automation:Pollen:ForecastFile"] = FunctionsMetadata.RepositoryFile("samples", "pollen-forecasts.json"),
                // As the infrastructure sets them: the app answers its own links, signed with a configured key.
                ["Automation:Personalization:PublicBaseUrl"] = "https://func-test.azurewebsites.net/api",
                ["Automation:Personalization:LinkKeys:0"] = TestLinks.Key,
            })
            .AddInMemoryCollection(settings);
        builder.AddAutomationFunctions();
        // After the app's own registrations: the test's clock replaces the system clock, decorators wrap the app's services.
        builder.Services.AddSingleton<IClock>(new FakeClock(now));
        services?.Invoke(builder.Services);
        var app = builder.BuildCheckingSettings();

        var configuration = app.Services.GetRequiredService<IConfiguration>();
        var exports = new BlobContainerClient(azurite.ConnectionString, configuration["ExportsContainer"]);
        await exports.CreateIfNotExistsAsync();
        var host = new FunctionsTestHost(app, azurite.ConnectionString, exports);
        foreach (var queue in FunctionsMetadata.Functions.Values.SelectMany(f => f.Bindings).Select(b => b.Text("queueName")).OfType<string>().Distinct())
        {
            await host.Queue(queue).CreateIfNotExistsAsync();
            await host.Queue(queue).ClearMessagesAsync();
        }

        return host;
    }

    /// <summary>A work queue, with the host's base64 message encoding.</summary>
    public QueueClient Queue(string name) =>
        new(_connectionString, name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    /// <summary>Uploads an export and fires the blob trigger for it, as Event Grid does once the upload is complete.</summary>
    public async Task DropExportAsync(string name, Stream content)
    {
        await Exports.GetBlobClient(name).UploadAsync(content, overwrite: true);
        await FireBlobTriggerAsync(name);
    }

    /// <summary>Drops sample exports (samples/inbox) in order.</summary>
    public async Task DropSampleExportsAsync(params string[] names)
    {
        foreach (var name in names)
        {
            await using var content = File.OpenRead(FunctionsMetadata.RepositoryFile("samples", "inbox", name));
            await DropExportAsync(name, content);
        }
    }

    public async Task FireBlobTriggerAsync(string name)
    {
        var function = FunctionsMetadata.Functions.Values.Single(f => f.Trigger.Type == "blobTrigger");
        var path = Resolve(function.Trigger.Text("path")!);
        var container = path[..path.IndexOf('/', StringComparison.Ordinal)];
        container.Should().Be(Exports.Name, "the trigger watches the exports container");
        var blob = new BlobContainerClient(Configuration[function.Trigger.Text("connection")!], container).GetBlobClient(name);
        await InvokeAsync(function, blob, new Dictionary<string, object> { ["name"] = name });
    }

    /// <summary>Fires a timer-triggered function once; what it returns goes onto its output queues.</summary>
    public async Task FireTimerAsync(string functionName)
    {
        var function = FunctionsMetadata.Functions[functionName];
        function.Trigger.Type.Should().Be("timerTrigger");
        Resolve(function.Trigger.Text("schedule")!).Should().NotBeNullOrWhiteSpace();
        await InvokeAsync(function, new TimerInfo());
    }

    /// <summary>
    /// Hands every message on <paramref name="queue"/> to the function it triggers, until the queue is
    /// empty; a message is deleted once its function returned, as the host does. Returns how many ran.
    /// </summary>
    public async Task<int> DrainAsync(string queue)
    {
        var function = FunctionsMetadata.Functions.Values.Single(f => f.Trigger.Type == "queueTrigger" && f.Trigger.Text("queueName") == queue);
        var client = Queue(queue);
        var handled = 0;
        while (true)
        {
            var messages = (await client.ReceiveMessagesAsync(maxMessages: 32)).Value;
            if (messages.Length == 0) return handled;
            foreach (var message in messages)
            {
                await InvokeAsync(function, message.MessageText);
                await client.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                handled++;
            }
        }
    }

    /// <summary>The messages waiting on <paramref name="queue"/>, decoded, without taking them.</summary>
    public async Task<IReadOnlyList<string>> PeekAsync(string queue) =>
        (await Queue(queue).PeekMessagesAsync(maxMessages: 32)).Value.Select(m => m.Body.ToString()).ToList();

    /// <summary>Serves every HTTP-triggered function on Kestrel at /api/{route}; returns the base URL.</summary>
    public async Task<string> StartHttpAsync()
    {
        var (app, baseUrl) = await LoopbackServer.StartAsync(
            web =>
            {
                foreach (var function in FunctionsMetadata.Functions.Values.Where(f => f.Trigger.Type == "httpTrigger"))
                {
                    var methods = function.Trigger.Json.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).ToArray();
                    web.MapMethods("/api/" + function.Trigger.Text("route"), methods, async context =>
                    {
                        // Route values bind by name, as the host's binding data does.
                        var route = context.GetRouteData().Values.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value!);
                        var result = (IActionResult)(await InvokeAsync(function, context.Request, route))!;
                        await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
                    });
                }
            },
            services => services.AddMvcCore());
        _http = app;
        return baseUrl;
    }

    /// <summary>
    /// Calls the function's entry point in a scope of its own, as the worker does: the trigger's value
    /// goes to the parameter the trigger binding names, binding data by name, and the invocation's
    /// cancellation token; then each queue output binding's value is enqueued.
    /// </summary>
    private async Task<object?> InvokeAsync(FunctionDefinition function, object trigger, IReadOnlyDictionary<string, object>? bindingData = null)
    {
        var typeName = function.EntryPoint[..function.EntryPoint.LastIndexOf('.')];
        var type = typeof(AutomationFunctionsApp).Assembly.GetType(typeName, throwOnError: true)!;
        var method = type.GetMethod(function.EntryPoint[(typeName.Length + 1)..])!;
        await using var scope = Services.CreateAsyncScope();
        var instance = ActivatorUtilities.CreateInstance(scope.ServiceProvider, type);
        var arguments = method.GetParameters().Select(parameter =>
            parameter.Name == function.Trigger.Name ? trigger
            : parameter.ParameterType == typeof(CancellationToken) ? CancellationToken.None
            : bindingData?.GetValueOrDefault(parameter.Name!) ?? throw new InvalidOperationException($"{function.Name}: nothing binds parameter {parameter.Name}.")).ToArray();
        var task = (Task)method.Invoke(instance, arguments)!;
        await task;
        var result = task.GetType().IsGenericType ? task.GetType().GetProperty(nameof(Task<object>.Result))!.GetValue(task) : null;
        foreach (var output in function.Outputs("queue"))
        {
            var value = output.Name == "$return" ? result : result!.GetType().GetProperty(output.Name)!.GetValue(result);
            var messages = value switch
            {
                null => [],
                string one => [one],
                IEnumerable many => many.Cast<string>().ToList(),
                _ => throw new InvalidOperationException($"{function.Name}: output {output.Name} is a {value.GetType()}, not text."),
            };
            foreach (var message in messages) await Queue(output.Text("queueName")!).SendMessageAsync(message);
        }

        return result;
    }

    /// <summary>%Setting% in a binding expression, from the app settings, as the host resolves it.</summary>
    private string Resolve(string expression) => Regex.Replace(expression, "%([^%]+)%", match =>
        Configuration[match.Groups[1].Value] ?? throw new InvalidOperationException($"The app setting {match.Groups[1].Value} that a binding names is not set."));

    public async ValueTask DisposeAsync()
    {
        if (_http is not null) await _http.DisposeAsync();
        await Exports.DeleteIfExistsAsync();
        _app.Dispose();
    }
}
