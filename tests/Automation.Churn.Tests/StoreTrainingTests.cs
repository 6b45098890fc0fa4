using Automation.Hosting;
using Automation.Churn.BgNbd;
using Automation.Churn.Summaries;
using Automation.Churn.Training;
using Automation.Profiles.Changes;
using Automation.Profiles.Storage;
using Automation.SyntheticData;
using Automation.Testing;
using FluentAssertions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Xunit;

namespace Automation.Churn.Tests;

/// <summary>Fitting over a store's profiles and saving the model, on every backend.</summary>
[Trait(Peers.Trait, Peers.Value)]
public sealed class StoreTrainingTests : IDisposable
{
    private static readonly LocalDate AsOf = new(2026, 11, 1);
    private readonly TempFolder _folder = new();
    private readonly FakeClock _clock = FakeClock.At(2026, 11, 1);

    [Theory]
    [MemberData(nameof(TestStores.Backends), MemberType = typeof(TestStores))]
    public async Task The_model_fitted_on_the_store_is_the_model_of_the_customers_histories_and_planning_reads_it_back(string backend)
    {
        await using var services = await ServicesAsync(backend);
        var (expected, _) = await WriteSimulatedCustomersAsync(services.GetRequiredService<ICustomerProfileStore>(), customers: 400);
        var trainer = new ChurnModelTrainer(services.GetRequiredService<ICustomerProfileStore>(), services.GetRequiredService<IChurnModelStore>(), _clock);

        var model = await trainer.FitAndSaveAsync(AsOf);
        var saved = await services.GetRequiredService<IChurnModelStore>().LoadLatestAsync();

        model.Purchases.Customers.Should().Be(400);
        // The store's profiles summarise to exactly the simulated (x, t_x, T): the same data, the same fit.
        model.Purchases.Parameters.Should().Be(expected.Parameters);
        model.Currency.Should().Be("EUR");
        model.Spend.Should().NotBeNull();
        saved.Should().BeEquivalentTo(model, "the saved model reads back as it was fitted");
        saved!.FittedAt.Should().Be(_clock.Now);
    }

    [Theory]
    [MemberData(nameof(TestStores.Backends), MemberType = typeof(TestStores))]
    public async Task A_scheduled_refit_runs_only_when_the_latest_model_is_due_and_a_failed_fit_keeps_it(string backend)
    {
        await using var services = await ServicesAsync(backend);
        var profiles = services.GetRequiredService<ICustomerProfileStore>();
        var models = services.GetRequiredService<IChurnModelStore>();
        await WriteSimulatedCustomersAsync(profiles, customers: 300);
        var trainer = new ChurnModelTrainer(profiles, models, _clock);

        (await models.LoadLatestAsync()).Should().BeNull();
        var first = await trainer.RefitIfDueAsync(AsOf, intervalDays: 7);
        var notDue = await trainer.RefitIfDueAsync(AsOf.PlusDays(6), intervalDays: 7);
        _clock.Now += Duration.FromDays(7);
        var due = await trainer.RefitIfDueAsync(AsOf.PlusDays(7), intervalDays: 7);

        first.Refitted.Should().BeTrue();
        notDue.Refitted.Should().BeFalse();
        notDue.Model.Should().BeEquivalentTo(first.Model);
        due.Refitted.Should().BeTrue();
        (await models.LoadLatestAsync())!.AsOf.Should().Be(AsOf.PlusDays(7));

        // A fit over a store without purchases fails, says why, and the latest model stays in use.
        await using var empty = await ServicesAsync(backend, "empty");
        var failed = await new ChurnModelTrainer(empty.GetRequiredService<ICustomerProfileStore>(), models, _clock).RefitIfDueAsync(AsOf.PlusDays(30), intervalDays: 7);
        failed.Refitted.Should().BeFalse();
        failed.Failure.Should().Be("There is no customer with a purchase up to 2026-12-01 to fit the churn model on.");
        failed.Model.Should().BeEquivalentTo(due.Model);
        (await models.LoadLatestAsync())!.AsOf.Should().Be(AsOf.PlusDays(7));
    }

    /// <summary>
    /// Simulated BG/NBD customers written as transaction lines: a first day, repeat days spread up to
    /// t_x, 10 EUR on the first day and the simulated mean on each repeat day.
    /// </summary>
    private static async Task<(BgNbdFit Fit, RfmSample Sample)> WriteSimulatedCustomersAsync(ICustomerProfileStore store, int customers)
    {
        var sample = new RfmSample();
        var changes = new List<ProfileChange>();
        var line = 2L;
        var index = 0;
        foreach (var c in BuyTillYouDieCustomers.Simulate(BuyTillYouDieTruth.Cdnow, customers, (27, 39), seed: 5, wholeDays: true))
        {
            var id = $"C{++index:D5}";
            var (ageDays, recencyDays) = ((int)Math.Round(c.Age * 7), (int)Math.Round(c.Recency * 7));
            var first = AsOf.PlusDays(-ageDays);
            sample.Add(RfmSummary.FromDays(c.Frequency, recencyDays, ageDays));
            changes.Add(TestChanges.Line(id, $"{id}-0", 10m, day: first, source: new LineSource("sha256:simulated", line++)));
            for (var k = 1; k <= c.Frequency; k++)
            {
                // The last repeat day is t_x; the others lie at distinct days before it.
                var day = first.PlusDays(recencyDays - (c.Frequency - k));
                changes.Add(TestChanges.Line(id, $"{id}-{k}", (decimal)Math.Round(c.MeanRepeatSpend!.Value, 2), day: day, source: new LineSource("sha256:simulated", line++)));
            }
        }

        await store.ApplyAsync(changes);
        return (BgNbdFitter.Fit(sample), sample);
    }

    private async Task<ServiceProvider> ServicesAsync(string backend, string name = "store")
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(await TestStores.ForBackendAsync(backend, _folder, name)).Build();
        return new ServiceCollection().AddSingleton<IClock>(_clock).AddLogging().AddAutomationStore(configuration).BuildServiceProvider();
    }

    public void Dispose() => _folder.Dispose();
}
