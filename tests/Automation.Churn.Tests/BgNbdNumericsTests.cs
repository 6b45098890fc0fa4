using System.Globalization;
using Automation.Churn.BgNbd;
using Automation.Churn.Summaries;
using Automation.Churn.Training;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Churn.Tests;

/// <summary>
/// The BG/NBD predictions over the whole range of parameters a fit can return: large a and b (a nearly
/// homogeneous dropout), a above 2 + r + x (where the old series' stopping test never fired), z near 1.
/// </summary>
public sealed class BgNbdNumericsTests
{
    /// <summary>
    /// 338 cases written by Reference/bgnbd_reference.py: the paper's eq. 10 and 13 as written, with the
    /// untransformed ₂F₁ summed at 40 digits in mpmath. The first 24 are the parameters fitted on the
    /// product's own generated data that used to hang every plan, and CDNOW's.
    /// </summary>
    [Fact]
    public void Predictions_match_an_independent_high_precision_reference_over_the_fitters_parameter_range()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Reference", "bgnbd_reference.csv");
        var rows = File.ReadLines(path).Skip(1).Select(line => line.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList();
        rows.Should().HaveCount(338);
        rows.Select(r => r[2]).Max().Should().BeGreaterThan(1e5, "the grid reaches large a");
        rows.Select(r => r[3]).Max().Should().BeGreaterThan(1e7, "the grid reaches large b");

        var failures = new List<string>();
        foreach (var row in rows)
        {
            var model = new BgNbdParameters(row[0], row[1], row[2], row[3]);
            var customer = new RfmSummary((int)row[4], row[5], row[6]);
            var (alive, expected) = (model.ProbabilityAlive(customer), model.ExpectedPurchases(customer, row[7]));
            if (!Close(alive, row[8], 1e-12) || !Close(expected, row[9], 1e-9))
            {
                failures.Add(FormattableString.Invariant($"{model} x={row[4]} t_x={row[5]} T={row[6]} t={row[7]}: P(alive) {alive:R} vs {row[8]:R}, E[Y] {expected:R} vs {row[9]:R}"));
            }
        }

        failures.Should().BeEmpty();
    }

    private static bool Close(double actual, double expected, double relative) => Math.Abs(actual - expected) <= relative * Math.Abs(expected) + 1e-300;

    [Fact]
    public void Random_valid_parameters_and_histories_give_probabilities_in_0_1_and_finite_non_negative_expectations()
    {
        var random = new Random(18);
        double LogUniform(double low, double high) => Math.Exp(Math.Log(low) + random.NextDouble() * (Math.Log(high) - Math.Log(low)));
        for (var i = 0; i < 3_000; i++)
        {
            var model = new BgNbdParameters(LogUniform(1e-3, 1e3), LogUniform(1e-3, 1e4), LogUniform(1e-3, 1e7), LogUniform(1e-3, 1e9));
            var x = random.Next(4) == 0 ? 0 : (int)LogUniform(1, 5_000);
            var age = LogUniform(1e-3, 3_000);
            var customer = new RfmSummary(x, x == 0 ? 0 : random.NextDouble() * age, age);
            var weeks = LogUniform(1e-3, 1_000);

            var alive = model.ProbabilityAlive(customer);
            var expected = model.ExpectedPurchases(customer, weeks);
            var chance = model.ProbabilityOfPurchaseWithin(customer, weeks);
            var value = CustomerValue.Predict(model, customer, 10, Math.Min(weeks, 160), 0.1);

            var context = $"{model} x={x} t_x={customer.Recency} T={age} t={weeks}";
            alive.Should().BeInRange(0, 1, context);
            chance.Should().BeInRange(0, 1, context);
            double.IsFinite(expected).Should().BeTrue(context);
            expected.Should().BeGreaterThanOrEqualTo(0, context);
            double.IsFinite(value).Should().BeTrue(context);
            value.Should().BeGreaterThanOrEqualTo(-1e-9, context);
        }
    }

    [Fact]
    public void Expected_purchases_grow_with_the_horizon_across_the_switch_from_series_to_quadrature()
    {
        // a = 800: the series needs (a + 40) / (1 − z) terms, so longer horizons cross to the Beta expectation.
        var model = new BgNbdParameters(0.8, 5.5, 800, 12_000);
        var customer = new RfmSummary(4, 30, 40);
        var horizons = Enumerable.Range(1, 400).Select(w => w * 0.5).ToList();
        var expected = horizons.Select(w => model.ExpectedPurchases(customer, w)).ToList();

        expected.Should().BeInAscendingOrder().And.OnlyContain(e => double.IsFinite(e) && e > 0);
    }

    [Fact]
    public void A_model_that_cannot_predict_is_refused_with_the_reason_and_sound_models_pass()
    {
        var sample = new RfmSample();
        sample.Add(new RfmSummary(0, 0, 10));
        sample.Add(new RfmSummary(3, 8, 10));

        BgNbdPredictionCheck.FirstFailure(new BgNbdParameters(0.8096, 5.4704, 5.3796, 81.9023), sample).Should().BeNull();
        BgNbdPredictionCheck.FirstFailure(new BgNbdParameters(1e-3, 1e-3, 1e7, 1e9), sample).Should().BeNull();
        // What an optimiser that ran off to infinity would hand over.
        BgNbdPredictionCheck.FirstFailure(new BgNbdParameters(0.8, 5.5, double.PositiveInfinity, 3), sample).Should().Contain("finite positive");
        BgNbdPredictionCheck.FirstFailure(new BgNbdParameters(0.8, double.NaN, 2, 3), sample).Should().Contain("finite positive");
    }
}
