using System.Collections.Concurrent;
using Automation.Testing;
using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Automation.Cli.Tests;

/// <summary>The command line's telemetry, received as an OTLP collector would receive it (HTTP, protobuf).</summary>
[Trait(Peers.Trait, Peers.Value)]
public sealed class TelemetryCliTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task With_an_OTLP_endpoint_set_a_command_exports_its_spans_and_metrics_there_before_it_exits()
    {
        var received = new ConcurrentBag<string>();
        var (collector, url) = await LoopbackServer.StartAsync(app => app.MapPost("/v1/{signal}", (string signal) =>
        {
            received.Add(signal);
            return Results.Ok();
        }));
        await using var _ = collector;
        var inbox = SampleInbox.CopyTo(_folder);

        var (exit, _, error) = await CliProcess.RunAsync(
            ["--data-dir", _folder.File("store"), "ingest", Path.Combine(inbox, "customers.csv")],
            environment: new Dictionary<string, string> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = url, ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf" });

        exit.Should().Be(0, error);
        received.Should().Contain("traces").And.Contain("metrics");
    }
}
