using System.CommandLine;
using Automation.Ingestion.Formats;
using System.Globalization;
using System.Text.Json;
using Automation.Churn;
using Automation.Churn.GammaGamma;
using Automation.Churn.Summaries;
using Automation.Churn.Training;
using Automation.Planning.Settings;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;
using Spectre.Console;

namespace Automation.Cli.Commands;

/// <summary>
/// The churn model: <c>model fit</c> fits BG/NBD and Gamma-Gamma on the store's profiles (and saves the
/// model planning uses) or on a summary file; <c>model predict</c> writes each customer's prospects from a
/// summary file.
/// </summary>
internal static class ModelCommand
{
    public static Command Create()
    {
        var command = new Command("model", "Fit the churn model (BG/NBD with Gamma-Gamma spend) and predict with it.");
        command.Subcommands.Add(CreateFit());
        command.Subcommands.Add(CreatePredict());
        return command;
    }

    private static Command CreateFit()
    {
        var input = new Option<string?>("--input")
        {
            Description = "Fit on a summary file (ID,frequency,recency,T[,monetary_value], times in weeks) instead of the store; nothing is saved.",
        };
        var date = new Option<string?>("--date") { Description = "Fit on the store's histories up to this day, YYYY-MM-DD (default: today in Automation:Policies:DefaultTimeZone)." };
        var json = GlobalOptions.CreateJson();
        var command = new Command("fit", "Fit on the store's profiles and save the model planning uses, or fit on a summary file.") { input, date, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = CliHost.Build(parse);
            var clock = services.GetRequiredService<IClock>();
            ChurnModel model;
            var problems = 0;
            if (parse.GetValue(input) is { } path)
            {
                var (purchases, spend, bad) = await ReadSamplesAsync(path, cancellationToken);
                problems = bad;
                // A summary file's times are already cut at its own end of observation: there is no as-of day.
                model = ChurnModelFitting.Fit(purchases, spend, null, clock.GetCurrentInstant(), default);
            }
            else
            {
                model = await services.GetRequiredService<ChurnModelTrainer>().FitAndSaveAsync(PlanningDay.From(parse, date, services), cancellationToken);
            }

            if (parse.GetValue(json)) Console.WriteLine(JsonSerializer.Serialize(ToJson(model), CliJson.Options));
            else Write(model, saved: parse.GetValue(input) is null);
            return problems > 0 ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    private static Command CreatePredict()
    {
        var input = new Option<string>("--input") { Description = "The summary file (ID,frequency,recency,T[,monetary_value], times in weeks).", Required = true };
        var horizon = new Option<double>("--horizon") { Description = "Weeks ahead for expected purchases and predicted value.", Required = true };
        var output = new Option<string?>("--output") { Description = "Write the CSV here instead of to standard output." };
        var command = new Command("predict", "Fit on a summary file, then write each customer's P(alive), expected purchases, expected average spend and predicted value.")
        {
            input, horizon, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = CliHost.Build(parse);
            var weeks = parse.GetValue(horizon);
            if (!(weeks > 0 && double.IsFinite(weeks))) throw new SettingsException($"--horizon must be a number of weeks > 0, got {weeks}.");
            var path = parse.GetValue(input)!;
            var (purchases, spend, problems) = await ReadSamplesAsync(path, cancellationToken);
            var model = ChurnModelFitting.Fit(purchases, spend, null, services.GetRequiredService<IClock>().GetCurrentInstant(), default);
            var discount = services.GetRequiredService<PlanningSettings>().ChurnRisk.AnnualDiscountRate;
            if (model.Spend is null) Console.Error.WriteLine($"{path}: {model.SpendNote}; expected_average_spend and predicted_value stay empty.");

            await using var target = new CsvTableWriter(parse.GetValue(output) is { } file ? new StreamWriter(file) : new StreamWriter(Console.OpenStandardOutput()), newLine: "\n");
            await target.WriteRowAsync(["ID", "p_alive", "expected_purchases", "expected_average_spend", "predicted_value"]);
            // Second pass: predictions stream out as the file streams in.
            await foreach (var line in SummaryFile.ReadAsync(path, cancellationToken))
            {
                if (line is not SummaryRow row) continue;
                var outlook = model.Outlook(row.Summary, new CustomerSpend(null, row.MonetaryValue), weeks, new ValueHorizon(weeks, discount));
                await target.WriteRowAsync(
                    [row.Id, Number(outlook.ProbabilityAlive), Number(outlook.ExpectedPurchases), Number(outlook.ExpectedAverageSpend), Number(outlook.PredictedValue)]);
            }

            return problems > 0 ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>One pass over the file: the samples to fit, with each bad line reported on standard error.</summary>
    private static async Task<(RfmSample Purchases, SpendSample? Spend, int Problems)> ReadSamplesAsync(string path, CancellationToken cancellationToken)
    {
        var purchases = new RfmSample();
        var spend = new SpendSample();
        var problems = 0;
        await foreach (var line in SummaryFile.ReadAsync(path, cancellationToken))
        {
            switch (line)
            {
                case SummaryRow row:
                    purchases.Add(row.Summary);
                    if (row.MonetaryValue is { } mean) spend.Add(row.Summary.Frequency, mean);
                    break;
                case SummaryRowProblem problem:
                    problems++;
                    await Console.Error.WriteLineAsync(problem.ToString());
                    break;
            }
        }

        if (problems > 0) await Console.Error.WriteLineAsync($"{path}: {problems} line(s) left out, {purchases.Customers:N0} customers used.");
        return (purchases, spend.Customers > 0 ? spend : null, problems);
    }

    private static object ToJson(ChurnModel model) => new
    {
        asOf = model.AsOf == default ? null : LocalDatePattern.Iso.Format(model.AsOf),
        bgnbd = new
        {
            r = model.Purchases.Parameters.R,
            alpha = model.Purchases.Parameters.Alpha,
            a = model.Purchases.Parameters.A,
            b = model.Purchases.Parameters.B,
            logLikelihood = model.Purchases.LogLikelihood,
            gradientNorm = model.Purchases.GradientNorm,
            customers = model.Purchases.Customers,
            repeatCustomers = model.Purchases.RepeatCustomers,
        },
        gammaGamma = model.Spend is { } spend
            ? new
            {
                p = spend.Parameters.P,
                q = spend.Parameters.Q,
                gamma = spend.Parameters.Gamma,
                logLikelihood = spend.LogLikelihood,
                customers = spend.Customers,
                currency = model.Currency,
            }
            : null,
        gammaGammaNote = model.SpendNote,
    };

    private static void Write(ChurnModel model, bool saved)
    {
        var purchases = model.Purchases;
        var table = new Table().AddColumn("model").AddColumn("parameters").AddColumn("log-likelihood").AddColumn("customers");
        table.AddRow("BG/NBD", CliFormat.Text(purchases.Parameters.ToString()), Number(purchases.LogLikelihood, "0.0000"),
            $"{purchases.Customers:N0} ({purchases.RepeatCustomers:N0} with a repeat purchase)");
        table.AddRow("Gamma-Gamma", CliFormat.Text(model.Spend?.Parameters.ToString() ?? model.SpendNote ?? ""), model.Spend is { } s ? Number(s.LogLikelihood, "0.0000") : "-",
            model.Spend is { } fitted ? $"{fitted.Customers:N0} repeat customers{(model.Currency is null ? "" : ", " + model.Currency)}" : "-");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(CliFormat.Text($"converged: gradient norm {purchases.GradientNorm:G3}; times in weeks"));
        if (saved) AnsiConsole.MarkupLine(CliFormat.Text($"saved: planning uses this model from now on (histories up to {LocalDatePattern.Iso.Format(model.AsOf)})"));
    }

    private static string Number(double? value) => value is { } v ? v.ToString("G10", CultureInfo.InvariantCulture) : "";

    private static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
