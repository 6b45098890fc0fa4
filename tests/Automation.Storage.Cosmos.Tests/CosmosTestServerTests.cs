using Automation.Planning;
using Automation.Testing;
using FluentAssertions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Automation.Storage.Cosmos.Tests;

/// <summary>The test server answers as Cosmos DB does where the store depends on it.</summary>
[Trait(Peers.Trait, Peers.Value)]
public sealed class CosmosTestServerTests
{
    [Fact]
    public async Task Every_new_database_answers_the_store_even_one_whose_resource_id_has_a_slash()
    {
        // The server numbers databases in order: the 63rd and every 64th after it have a "/" in their
        // resource id, which the SDK writes as "-" in a path (the feed ranges are read by resource id).
        for (var database = 0; database < 70; database++)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(await TestStores.CosmosAsync()).Build();
            await using var store = new ServiceCollection().AddCosmosStore(configuration).BuildServiceProvider();

            (await store.GetRequiredService<IPlanningFeed>().GetRangesAsync()).Should().NotBeEmpty($"database {database} of this run answers");
        }
    }
}
