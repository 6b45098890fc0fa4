using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Testing;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Cli.Tests;

/// <summary>The samples with pollen from the providers (the fake Open-Meteo) instead of the forecasts file.</summary>
[Trait(Peers.Trait, Peers.Value)]
public sealed class PollenCliTests : IAsyncLifetime
{
    // The program runs on a clock started on a fixed morning (Automation:Clock:Now): tomorrow is the day
    // today's plan warns about, and the providers' forecast horizon counts from today.
    private static readonly LocalDate Today = new(2026, 11, 20);
    private static readonly string Tomorrow = Today.PlusDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    private readonly TempFolder _folder = new();
    private FakePollenApis _apis = null!;

    public async Task InitializeAsync()
    {
        _apis = await FakePollenApis.StartAsync();
        _apis.Today = Today;
        // East Berlin (sample customer C0000022): a high grass day; the rest of Europe has no values.
        _apis.OpenMeteoPlaces[(52.55, 13.45)] = new OpenMeteoPlace("Europe/Berlin", 3600, (type, at) => type == "grass" ? 40 + at.Hour * 5 : 0);
    }

    [Fact]
    public async Task Pollen_shows_each_areas_levels_customers_and_reach_and_a_second_call_reuses_the_stored_forecasts()
    {
        (await Run("ingest", SampleInbox.CopyTo(_folder))).ExitCode.Should().Be(0);

        var (exit, output, error) = await Run("pollen", "--date", Tomorrow, "--json");

        exit.Should().Be(0, error);
        var report = JsonDocument.Parse(output).RootElement;
        report.GetProperty("date").GetString().Should().Be(Tomorrow);
        report.GetProperty("requests").GetInt32().Should().Be(1, "every European area in one Open-Meteo request");
        var areas = report.GetProperty("areas").EnumerateArray().ToDictionary(a => a.GetProperty("id").GetString()!);
        var berlin = areas["DE:52.55,13.45"];
        berlin.GetProperty("levels").GetProperty("grass").GetDouble().Should().Be(155, "the highest hour of the local day: 40 + 23 × 5");
        berlin.GetProperty("aboveThreshold").EnumerateArray().Select(t => t.GetString()).Should().Equal("grass");
        berlin.GetProperty("customers").GetInt64().Should().Be(1);
        berlin.GetProperty("wouldReach").GetInt64().Should().Be(1);
        var madrid = areas.Values.Single(a => a.GetProperty("id").GetString()!.StartsWith("ES:40.45", StringComparison.Ordinal));
        madrid.GetProperty("status").GetString().Should().Be("NoData");
        madrid.GetProperty("wouldReach").GetInt64().Should().Be(0);
        areas.Values.Where(a => a.GetProperty("id").GetString()!.StartsWith("JP:", StringComparison.Ordinal))
            .Should().NotBeEmpty().And.OnlyContain(a => a.GetProperty("status").GetString() == "NotServed");

        var again = JsonDocument.Parse((await Run("pollen", "--date", Tomorrow, "--json")).Output).RootElement;
        again.GetProperty("requests").GetInt32().Should().Be(0);
        _apis.Requests.Should().HaveCount(1);

        var table = await Run("pollen", "--date", Tomorrow);
        table.Output.Should().Contain("grass 155*").And.Contain("customer(s) would get a pollen message");
    }

    private async Task<(int ExitCode, string Output, string Error)> Run(params string[] args)
    {
        // The samples' settings, with the providers in place of the forecasts file.
        var settings = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(SharedData.RepositoryRoot, "samples", "settings.json")))!;
        settings["Automation"]!["Pollen"] = new JsonObject { ["OpenMeteo"] = new JsonObject { ["BaseUrl"] = _apis.BaseUrl } };
        var path = _folder.File("settings.json");
        await File.WriteAllTextAsync(path, settings.ToJsonString());
        return await CliProcess.RunAsync(new[] { "--settings", path, "--data-dir", _folder.File("store") }.Concat(args), SharedData.RepositoryRoot,
            new Dictionary<string, string> { ["Automation__Clock__Now"] = Today.At(new LocalTime(6, 0)).InUtc().ToInstant().ToString() });
    }

    public async Task DisposeAsync()
    {
        await _apis.DisposeAsync();
        _folder.Dispose();
    }
}
