using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Automation.Storage.Cosmos;
using Automation.Testing;
using FluentAssertions;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Automation.Hosting.Tests;

/// <summary>infra/ compiles, and declares the Cosmos DB containers exactly as the code creates them (docs/data-model.md).</summary>
[Trait(Peers.Trait, Peers.Value)]
public sealed class InfrastructureTests
{
    private static readonly string Compiler = typeof(InfrastructureTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepCompiler").Value!;

    [Fact]
    public async Task The_event_subscription_template_compiles_without_warnings()
    {
        (await CompileAsync("app/exports-subscription.bicep")).Should().Contain("Microsoft.EventGrid/systemTopics/eventSubscriptions");
    }

    [Fact]
    public async Task The_console_is_behind_Entra_ID_sign_in_and_only_the_paths_with_their_own_proof_are_left_open()
    {
        using var template = JsonDocument.Parse(await CompileAsync("main.bicep"));
        var authentication = template.RootElement.Descendants().Single(e => e.ValueKind == JsonValueKind.Object
            && e.TryGetProperty("type", out var type) && type.GetString() == "Microsoft.Web/sites/config"
            && e.TryGetProperty("name", out var name) && name.GetString()!.Contains("authsettingsV2", StringComparison.Ordinal));
        var validation = authentication.GetProperty("properties").GetProperty("globalValidation");

        validation.GetProperty("requireAuthentication").GetBoolean().Should().BeTrue();
        validation.GetProperty("unauthenticatedClientAction").GetString().Should().Be("RedirectToLoginPage");
        validation.GetProperty("excludedPaths").EnumerateArray().Select(p => p.GetString()).Should()
            .BeEquivalentTo(["/api/preferences", "/api/sendgrid/events", "/api/report", "/runtime/webhooks/blobs"], "never the console");
        authentication.GetProperty("properties").GetProperty("identityProviders").GetProperty("azureActiveDirectory").GetProperty("enabled").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task The_Cosmos_containers_have_the_partition_keys_TTLs_and_indexing_the_code_creates()
    {
        using var template = JsonDocument.Parse(await CompileAsync("main.bicep"));
        var resources = template.RootElement.Descendants().Where(e => e.ValueKind == JsonValueKind.Object
            && e.TryGetProperty("type", out var type) && type.GetString() == "Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers").ToList();
        resources.Should().ContainSingle("one copy loop declares every container");
        var declared = resources[0].GetProperty("properties").GetRawText();
        var containers = template.RootElement.Descendants().Single(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("cosmosContainers", out _))
            .GetProperty("cosmosContainers").EnumerateArray().ToList();

        var settings = CosmosStoreSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Automation:Cosmos:AccountEndpoint"] = "https://example.documents.azure.com:443/",
        }).Build());
        var expected = CosmosContainers.Definitions(settings).Select(c => $"{c.Id} {c.PartitionKeyPath} {c.DefaultTimeToLive?.ToString() ?? "none"}");
        containers.Select(c => $"{c.GetProperty("name").GetString()} {c.GetProperty("partitionKey").GetString()} {Ttl(c.GetProperty("ttl"))}")
            .Should().BeEquivalentTo(expected);
        declared.Should().Contain("indexingPolicy").And.Contain("/*");
    }

    private static string Ttl(JsonElement ttl) => ttl.ValueKind == JsonValueKind.Null ? "none" : ttl.GetInt32().ToString();

    private static async Task<string> CompileAsync(string file)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("The Bicep compiler package restored for these tests is the linux-x64 one.");
        Peers.EnsureAllowed("the Bicep compiler");
        var start = new ProcessStartInfo(Compiler, ["build", Path.Combine(SharedData.RepositoryRoot, "infra", file), "--stdout"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.Should().Be(0, errors);
        errors.Should().BeEmpty("the linter's warnings are errors here too");
        return await output;
    }
}

internal static class JsonElementWalk
{
    public static IEnumerable<JsonElement> Descendants(this JsonElement element)
    {
        yield return element;
        var children = element.ValueKind switch
        {
            JsonValueKind.Object => element.EnumerateObject().Select(p => p.Value),
            JsonValueKind.Array => element.EnumerateArray(),
            _ => [],
        };
        foreach (var child in children.SelectMany(Descendants)) yield return child;
    }
}
