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

    private Process Start(Action<string> onLine)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = SharedData.RepositoryRoot };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "automation.dll"), "--settings", "samples/settings.json", "--data-dir", _folder.File("store"), "serve" })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in Environment()) start.Environment[key] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) onLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) onLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
