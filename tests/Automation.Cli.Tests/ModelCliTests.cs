using System.Globalization;
using System.Text.Json;
using Automation.Testing;
using FluentAssertions;
using Xunit;

namespace Automation.Cli.Tests;

/// <summary><c>model fit</c> and <c>model predict</c> as a user runs them.</summary>
[Trait(Peers.Trait, Peers.Value)]
public sealed class ModelCliTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Model_fit_on_the_CDNOW_summaries_prints_the_published_parameters_as_json()
    {
        var (exit, output, error) = await Run("model", "fit", "--input", SharedData.Require("cdnow/cdnow_customers_summary_with_transactions.csv"), "--json");

        exit.Should().Be(0, error);
        var json = JsonDocument.Parse(output).RootElement;
        var bgnbd = json.GetProperty("bgnbd");
        bgnbd.GetProperty("r").GetDouble().Should().BeApproximately(0.243, 0.0005);
        bgnbd.GetProperty("alpha").GetDouble().Should().BeApproximately(4.414, 0.0005);
        bgnbd.GetProperty("a").GetDouble().Should().BeApproximately(0.793, 0.0005);
        bgnbd.GetProperty("b").GetDouble().Should().BeApproximately(2.426, 0.0005);
        bgnbd.GetProperty("logLikelihood").GetDouble().Should().BeApproximately(-9582.4, 0.05);
        bgnbd.GetProperty("gradientNorm").GetDouble().Should().BeLessThan(1e-6);
        bgnbd.GetProperty("customers").GetInt64().Should().Be(2357);
        var spend = json.GetProperty("gammaGamma");
        spend.GetProperty("p").GetDouble().Should().BeApproximately(6.25, 0.005);
        spend.GetProperty("q").GetDouble().Should().BeApproximately(3.74, 0.005);
        spend.GetProperty("gamma").GetDouble().Should().BeApproximately(15.44, 0.01);
        spend.GetProperty("logLikelihood").GetDouble().Should().BeApproximately(-4055.92, 0.01);
        spend.GetProperty("customers").GetInt64().Should().Be(946);
    }

    [Fact]
    public async Task Model_predict_writes_one_line_per_customer_with_the_papers_expectation_for_customer_1()
    {
        var output = _folder.File("predictions.csv");

        var (exit, _, error) = await Run("model", "predict", "--input", SharedData.Require("cdnow/cdnow_customers_summary_with_transactions.csv"), "--horizon", "39", "--output", output);

        exit.Should().Be(0, error);
        var lines = File.ReadAllLines(output);
        lines[0].Should().Be("ID,p_alive,expected_purchases,expected_average_spend,predicted_value");
        lines.Should().HaveCount(2358);
        var first = lines[1].Split(',');
        first[0].Should().Be("1");
        // Fader, Hardie & Lee (2005): x = 2, t_x = 30.43, T = 38.86 expects 1.226 purchases in the next 39 weeks.
        Number(first[2]).Should().BeApproximately(1.226, 0.0005);
        Number(first[1]).Should().BeApproximately(0.7266, 0.0005);
        // Own mean 22.35 over 2 repeat purchases, shrunk toward the population mean 35.08: (γ + 2·22.35)·p/(2p + q − 1).
        Number(first[3]).Should().BeApproximately((15.4478 + 2 * 22.35) * 6.2488 / (2 * 6.2488 + 3.7446 - 1), 0.01);
        Number(first[4]).Should().BeInRange(0.9 * 1.226 * Number(first[3]), 1.226 * Number(first[3]), "39 weeks of discounting at 10% a year take off under 10%");
        var oneTime = lines[3].Split(',');
        Number(oneTime[1]).Should().Be(1);
    }

    [Fact]
    public async Task A_bad_line_is_reported_with_file_line_field_and_reason_and_the_good_lines_still_count()
    {
        var path = _folder.Write("summary.csv", "ID,frequency,recency,T\n1,2,30.43,38.86\n2,one,1.71,38.86\n3,1,40,38.86\n4,0,0,38.86\n5,3,20,38\n");

        var (exit, output, error) = await Run("model", "fit", "--input", path, "--json");

        exit.Should().Be(1);
        error.Should().Contain($"{path} line 3, frequency: 'one' is not a whole number ≥ 0")
            .And.Contain($"{path} line 4, recency: recency (40) must not exceed T (38.86)")
            .And.Contain("2 line(s) left out, 3 customers used.");
        output.Should().BeEmpty("three customers cannot determine four parameters, and the fit says so rather than print a guess");
        error.Should().Contain("The BG/NBD fit did not converge");
    }

    [Fact]
    public async Task Model_fit_on_the_store_saves_the_model_and_planning_explains_with_it()
    {
        var exports = Path.Combine(_folder.Path, "exports");
        (await Run("generate", "--customers", "3000", "--transactions", "30000", "--out", exports)).ExitCode.Should().Be(0);
        (await Run("ingest", exports)).ExitCode.Should().Be(0);

        var (exit, output, error) = await Run("model", "fit", "--date", "2026-11-01", "--json");
        var explain = await Run("explain", "--customer", "C0000002", "--date", "2026-11-02");

        exit.Should().Be(0, error);
        var bgnbd = JsonDocument.Parse(output).RootElement.GetProperty("bgnbd");
        bgnbd.GetProperty("customers").GetInt64().Should().BeInRange(2500, 3000, "customers with a purchase by the as-of day");
        bgnbd.GetProperty("repeatCustomers").GetInt64().Should().BeGreaterThan(100);
        explain.Output.Should().Contain("churn_risk (priority 2)").And.Contain("BG/NBD fitted 2026-11-01 on " + bgnbd.GetProperty("customers").GetInt64().ToString("N0", CultureInfo.InvariantCulture) + " customers");
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private Task<(int ExitCode, string Output, string Error)> Run(params string[] args) =>
        CliProcess.RunAsync(new[] { "--settings", "samples/settings.json", "--data-dir", _folder.File("store") }.Concat(args), SharedData.RepositoryRoot);

    public void Dispose() => _folder.Dispose();
}
