namespace Automation.Testing;

/// <summary>
/// Tests that start a process or a server (the command line, Node's Cosmos DB server and Azurite,
/// Kestrel fakes, a TCP proxy, the Bicep compiler) carry <c>[Trait(Peers.Trait, Peers.Value)]</c> on their
/// class, so <c>dotnet test --filter "Needs!=peers"</c> is the fast inner loop. With
/// <c>AUTOMATION_TESTS_FAST=1</c>, which the README's fast command sets, starting one throws: a test that
/// lacks the trait fails in the fast set rather than quietly slowing it down.
/// </summary>
public static class Peers
{
    public const string Trait = "Needs";
    public const string Value = "peers";
    public const string FastOnlyVariable = "AUTOMATION_TESTS_FAST";

    /// <exception cref="InvalidOperationException">The fast set is running, and this test starts <paramref name="what"/>.</exception>
    public static void EnsureAllowed(string what)
    {
        if (Environment.GetEnvironmentVariable(FastOnlyVariable) == "1")
        {
            throw new InvalidOperationException($"This test starts {what}: give its class [Trait(Peers.Trait, Peers.Value)] so that the fast set leaves it out.");
        }
    }
}
