using Automation.Settings;
using Automation.Profiles.Storage;
using Automation.Testing;
using FluentAssertions;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Automation.Storage.Cosmos.Tests;

[Trait(Peers.Trait, Peers.Value)]
public sealed class CosmosSettingsTests
{
    [Theory]
    [InlineData(null, null, "Automation:Cosmos:AccountEndpoint must be set")]
    [InlineData("https://acc.documents.azure.com:443/", "AccountEndpoint=https://x/;AccountKey=k;", "Set only one of Automation:Cosmos:AccountEndpoint")]
    [InlineData("http://acc.documents.azure.com/", null, "Automation:Cosmos:AccountEndpoint must be an https URL")]
    [InlineData(null, "Server=db;Password=hunter2", "Automation:Cosmos:ConnectionString must have the form AccountEndpoint=...;AccountKey=...;")]
    public void Wrong_account_settings_stop_at_start_with_a_sentence_naming_the_setting(string? endpoint, string? connectionString, string sentence)
    {
        var values = new Dictionary<string, string?> { ["Automation:Cosmos:AccountEndpoint"] = endpoint, ["Automation:Cosmos:ConnectionString"] = connectionString };

        var read = () => CosmosStoreSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(values).Build());

        read.Should().Throw<SettingsValidationException>().Which.Message.Should().Contain(sentence).And.NotContain("hunter2", "a connection string is a secret");
    }

    [Fact]
    public async Task Containers_that_do_not_exist_are_not_created_unless_a_setting_allows_it()
    {
        await using var store = new CosmosStore(await CosmosTestServer.GetAsync(), settings: ("Automation:Cosmos:CreateIfMissing", "false"));

        var read = async () => await store.Get<ICustomerProfileStore>().GetAsync("C1");

        (await read.Should().ThrowAsync<CosmosStoreException>()).Which.Message
            .Should().Contain("container 'profiles' does not exist").And.Contain("Automation:Cosmos:CreateIfMissing");
    }
}
