using Automation.Testing;
using FluentAssertions;
using Xunit;

namespace Automation.Cli.Tests;

/// <summary>
/// The product's own generated data through the main job: refit the churn model, plan, deliver and
/// explain, at several seeds and sizes. Seed 2 with 10,000 customers fits a = 5.38, where the old
/// hypergeometric series never settled and every plan aborted.
/// </summary>
[Trait(Peers.Trait, Peers.Value)]
public sealed class GeneratedDataCliTests : IDisposable
{
    /// <summary>A month after the generated histories end (2026-10-31), the morning before any send window opens.</summary>
    private const string Day = "2026-12-03";
    private const string Now = "2026-12-03T06:00:00Z";
    private readonly TempFolder _folder = new();

    [Theory]
    [InlineData(2, 10_000)]
    [InlineData(4, 3_000)]
    [InlineData(7, 1_500)]
    public async Task Generate_then_run_refits_the_churn_model_plans_and_explains_every_customer(int seed, int customers)
    {
        var inbox = _folder.File("inbox");
        var generated = await RunAsync(inbox, "generate", "--customers", customers.ToString(), "--transactions", (customers * 10).ToString(), "--out", inbox, "--seed", seed.ToString());
        generated.ExitCode.Should().Be(0, generated.Error);

        var run = await RunAsync(inbox, "run", "--date", Day);

        run.ExitCode.Should().Be(0, run.Output + run.Error);
        run.Output.Should().Contain("refitted on").And.Contain("churn_risk:").And.NotContain("did not settle");
        if (seed == 2) run.Output.Should().Contain("a=5.3796", "the fit that used to stop every plan");
        var explain = await RunAsync(inbox, "explain", "--customer", "C0000010", "--date", Day);
        explain.ExitCode.Should().Be(0, explain.Error);
        explain.Output.Should().Contain("churn_risk (priority 2)").And.Contain("BG/NBD fitted");
    }

    private Task<(int ExitCode, string Output, string Error)> RunAsync(string inbox, params string[] args)
    {
        var environment = new Dictionary<string, string>
        {
            ["Automation__Delivery__Outbox__Directory"] = _folder.File("outbox"),
            ["Automation__Run__InboxDirectory"] = inbox,
            ["Automation__Clock__Now"] = Now,
        };
        return CliProcess.RunAsync(
            new[] { "--settings", "samples/settings.json", "--data-dir", _folder.File("store") }.Concat(args), SharedData.RepositoryRoot, environment);
    }

    public void Dispose() => _folder.Dispose();
}
