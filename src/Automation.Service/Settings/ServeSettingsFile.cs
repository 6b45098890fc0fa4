using System.Text;
using System.Text.Json;
using Automation.Hosting;
using Automation.MarketerConsole.Settings;
using Automation.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Text;

namespace Automation.Service.Settings;

/// <summary>
/// <c>serve</c>'s settings as the console changes them: the JSON settings file it started on (its
/// <c>--settings</c> file, or <c>appsettings.json</c> in its folder), a history of every change beside it
/// (<c>{file}.history.jsonl</c>, one JSON object per line), and a start again on the changed file, in the
/// same process, once the answer to the change has gone.
/// </summary>
/// <param name="rebuild">The host's configuration, built as at start but with the settings file's content replaced by the given stream.</param>
public sealed class ServeSettingsFile(
    string path, Func<Stream, IConfiguration> rebuild, IConfiguration configuration, IClock clock, ServeRestart restart,
    IHostApplicationLifetime lifetime, ILogger<ServeSettingsFile> logger)
    : ISettingsHost, ISettingsFile, IDisposable
{
    private readonly SemaphoreSlim _writing = new(1, 1);

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    private string HistoryPath => Path + ".history.jsonl";

    public IConfiguration With(SettingsChange change)
    {
        var edited = Edited(File.Exists(Path) ? File.ReadAllText(Path) : null, change);
        return rebuild(new MemoryStream(Encoding.UTF8.GetBytes(edited)));
    }

    public ServiceProvider Compose(IConfiguration changed)
    {
        var services = new ServiceCollection().AddLogging().AddSingleton(changed).AddSingleton(clock).AddServedPipeline(changed);
        return services.BuildCheckedProvider();
    }

    public async Task ApplyAsync(SettingsChange change, string effect, CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken);
        try
        {
            var before = File.Exists(Path) ? await File.ReadAllTextAsync(Path, cancellationToken) : null;
            var edited = Edited(before, change);
            // The file holds the host's secrets too: written whole under another name, readable by its owner only, then moved into place.
            await OwnerOnlyFile.WriteAsync(Path, replace: true, stream => stream.WriteAsync(Encoding.UTF8.GetBytes(edited), cancellationToken).AsTask());
            var entry = new SettingsHistoryEntry(clock.GetCurrentInstant(), change.Key, SettingsJson.Read(before, change.Key), change.Value, effect);
            await File.AppendAllTextAsync(HistoryPath, HistoryLine(entry) + "\n", cancellationToken);
            logger.LogInformation("The console changed {Key} in {File}: {Effect}", change.Key, Path, effect);
        }
        finally
        {
            _writing.Release();
        }
    }

    public void TakeEffect()
    {
        logger.LogInformation("Starting again on the changed settings; work in progress resumes without duplicates");
        restart.Request();
        lifetime.StopApplication();
    }

    public async Task<IReadOnlyList<SettingsHistoryEntry>> HistoryAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(HistoryPath)) return [];
        var entries = new List<SettingsHistoryEntry>();
        await foreach (var line in File.ReadLinesAsync(HistoryPath, cancellationToken))
        {
            if (line.Length == 0) continue;
            try
            {
                using var json = JsonDocument.Parse(line);
                var item = json.RootElement;
                entries.Add(new SettingsHistoryEntry(InstantPattern.ExtendedIso.Parse(item.GetProperty("at").GetString()!).GetValueOrThrow(),
                    item.GetProperty("key").GetString()!, item.GetProperty("from").GetString(), item.GetProperty("to").GetString(), item.GetProperty("effect").GetString()!));
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or UnparsableValueException)
            {
                // A line cut short by a crash mid-append, or edited by hand: the page lists the rest; the file keeps it.
                logger.LogWarning("{File}: a line of the history is not a change as the console writes one, and is not shown", HistoryPath);
            }
        }

        entries.Reverse();
        return entries;
    }

    public void Dispose() => _writing.Dispose();

    private string Edited(string? json, SettingsChange change)
    {
        try
        {
            return SettingsJson.Change(json, change.Key, change.Value, EffectiveSettings.Find(configuration, change.Key)?.List ?? false);
        }
        catch (JsonException ex)
        {
            // Edited by hand since the start: the console does not overwrite what it cannot read.
            throw new SettingsValidationException([$"The settings file {Path} is not a JSON object the console can change ({ex.Message}); correct it by hand first."]);
        }
    }

    private static string HistoryLine(SettingsHistoryEntry entry)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("at", InstantPattern.ExtendedIso.Format(entry.At));
            writer.WriteString("key", entry.Key);
            writer.WriteString("from", entry.From);
            writer.WriteString("to", entry.To);
            writer.WriteString("effect", entry.Effect);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

/// <summary>Set when <c>serve</c> stops to start again on changed settings, rather than to end.</summary>
public sealed class ServeRestart
{
    private int _requested;

    public bool Requested => Volatile.Read(ref _requested) == 1;

    public void Request() => Interlocked.Exchange(ref _requested, 1);
}
