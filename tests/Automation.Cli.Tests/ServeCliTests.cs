using System.Diagnostics;
using System.Text;
using Automation.Testing;
using FluentAssertions;
using Xunit;

namespace Automation.Cli.Tests;

[Trait(Peers.Trait, Peers.Value)]
public sealed class ServeCliTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Serve_ingests_the_inbox_and_stops_cleanly_on_SIGTERM()
    {
        var output = new StringBuilder();
        var ingestedAll = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = Start(line =>
        {
            lock (output)
            {
                output.AppendLine(line);
                if (output.ToString().Split("Ingested ").Length - 1 == 3) ingestedAll.TrySetResult();
            }
        });

        await ingestedAll.Task.WaitAsync(TimeSpan.FromSeconds(60));
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()]))
        {
            await kill.WaitForExitAsync();
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        process.ExitCode.Should().Be(0, output.ToString());
        string text;
        lock (output) text = output.ToString();
        text.Should().Contain("Serving: inbox").And.Contain("Stopped. Work in progress resumes on the next start without duplicates.");
        foreach (var export in new[] { "customers.csv", "transactions.csv", "consents.csv" }) text.Should().Contain($"Ingested {export}");
    }

    [Fact]
    public async Task A_setting_changed_in_the_console_is_written_to_the_settings_file_and_serve_starts_again_on_it_in_the_same_process()
    {
        var settings = _folder.File("settings.json");
        File.Copy(Path.Combine(SharedData.RepositoryRoot, "samples", "settings.json"), settings);
        var output = new StringBuilder();
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var servingAgain = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ingestedAll = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = Start(line =>
        {
            lock (output)
            {
                output.AppendLine(line);
                if (System.Text.RegularExpressions.Regex.Match(line, @"Answering the links in mail at (http://127\.0\.0\.1:\d+)") is { Success: true } at) listening.TrySetResult(at.Groups[1].Value);
                if (output.ToString().Split("Ingested ").Length - 1 == 3) ingestedAll.TrySetResult();
                if (output.ToString().Split("Answering the links in mail at ").Length - 1 == 2) servingAgain.TrySetResult();
            }
        }, settings, ("Automation__Service__AccessKey", "console-key-0123456789abcdef"));

        var address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        // Until the consents export is ingested completely nothing can be planned, so no change can be shown or applied.
        await ingestedAll.Task.WaitAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(address) };
        using var signIn = await http.PostAsync("/console/sign-in", new FormUrlEncodedContent([new("key", "console-key-0123456789abcdef"), new("then", "/console/settings")]));
        http.DefaultRequestHeaders.Add("Cookie", signIn.Headers.GetValues("Set-Cookie").Single().Split(';')[0]);
        using var applied = await http.PostAsync("/console/settings", new FormUrlEncodedContent([new("action", "apply"), new("key", "Automation:Triggers:Birthday:DaysBefore"), new("value", "2")]));
        var page = await applied.Content.ReadAsStringAsync();
        applied.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, page);
        await servingAgain.Task.WaitAsync(TimeSpan.FromSeconds(60));
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()]))
        {
            await kill.WaitForExitAsync();
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        process.ExitCode.Should().Be(0, output.ToString());
        output.ToString().Should().Contain("The console changed Automation:Triggers:Birthday:DaysBefore").And.Contain("Starting again on the changed settings");
        File.ReadAllText(settings).Should().Contain("\"DaysBefore\": \"2\"").And.Contain("\"Salt\": \"samples-2026\"", "the rest of the file stays");
        File.ReadAllText(settings + ".history.jsonl").Should().Contain("\"from\":\"0\",\"to\":\"2\"");
    }

    [Fact]
    public async Task A_plan_schedule_that_is_not_cron_stops_the_start_with_a_sentence_naming_it()
    {
        var (exit, _, error) = await CliProcess.RunAsync(
            ["--settings", "samples/settings.json", "--data-dir", _folder.File("store"), "serve"], SharedData.RepositoryRoot, Environment("every morning"));

        exit.Should().Be(2);
        error.Should().Contain("Automation:Service:PlanSchedule: 'every morning' is not a cron expression");
    }

    private Dictionary<string, string> Environment(string schedule = "0 6 * * *") => new()
    {
        ["Automation__Delivery__Outbox__Directory"] = _folder.File("outbox"),
        ["Automation__Run__InboxDirectory"] = SampleInbox.CopyTo(_folder),
        ["Automation__Service__PollMilliseconds"] = "50",
        ["Automation__Service__PlanSchedule"] = schedule,
        ["Automation__Service__Urls"] = "http://127.0.0.1:0",
    };

    private Process Start(Action<string> onLine, string settings = "samples/settings.json", params (string Key, string Value)[] environment)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = SharedData.RepositoryRoot };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "automation.dll"), "--settings", settings, "--data-dir", _folder.File("store"), "serve" })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in Environment().Concat(environment.Select(pair => KeyValuePair.Create(pair.Key, pair.Value)))) start.Environment[key] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) onLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) onLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
