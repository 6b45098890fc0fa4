using System.Text.Json;
using Automation.Testing;
using FluentAssertions;
using Xunit;

namespace Automation.Cli.Tests;

/// <summary>The CLI as a user runs it: a real process, its exit code, its output.</summary>
[Trait(Peers.Trait, Peers.Value)]
public sealed class CliTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task Ingest_with_json_prints_one_object_per_file_and_exits_zero_even_with_rejected_rows()
    {
        var exports = Path.Combine(_folder.Path, "exports");
        (await Run("generate", "--customers", "50", "--transactions", "400", "--out", exports, "--bad-rows", "0.05")).ExitCode.Should().Be(0);

        var (exit, output, _) = await Run("--data-dir", _folder.File("store"), "ingest", exports, "--json");

        exit.Should().Be(0);
        var files = JsonDocument.Parse(output).RootElement.GetProperty("files").EnumerateArray().ToList();
        files.Select(f => f.GetProperty("name").GetString()).Should().Equal("consents.csv", "customers.csv", "transactions.csv");
        files.Should().OnlyContain(f => f.GetProperty("status").GetString() == "completed");
        files.Sum(f => f.GetProperty("rejected").GetInt64()).Should().BePositive();
        foreach (var property in new[] { "kind", "rowsRead", "accepted", "warnings", "duplicates" }) files[0].TryGetProperty(property, out _).Should().BeTrue();

        var again = JsonDocument.Parse((await Run("--data-dir", _folder.File("store"), "ingest", exports, "--json")).Output).RootElement;
        again.GetProperty("files").EnumerateArray().Should().OnlyContain(f => f.GetProperty("status").GetString() == "skipped");
    }

    [Fact]
    public async Task Ingest_exits_one_when_a_file_cannot_be_processed()
    {
        var path = _folder.Write("mystery.csv", "colour,size\nred,M\n");

        var (exit, output, _) = await Run("--data-dir", _folder.File("store"), "ingest", path, "--json");

        exit.Should().Be(1);
        JsonDocument.Parse(output).RootElement.GetProperty("files")[0].GetProperty("status").GetString().Should().Be("failed");
    }

    [Theory]
    [InlineData("ingest")]
    [InlineData("customer", "C1", "--no-such-option")]
    [InlineData("generate", "--customers", "10")]
    [InlineData("generate", "--customers", "10", "--transactions", "5", "--out", "x", "--bad-rows", "2")]
    public async Task Invalid_usage_exits_two(params string[] args)
    {
        (await Run(args)).ExitCode.Should().Be(2);
    }

    [Fact]
    public async Task Customer_shows_a_profile_and_exits_one_for_an_unknown_id()
    {
        var path = _folder.Write("customers.csv", "customer_id,email,first_name,time_zone,updated_at\nC1,ada@example.com,Ада,Europe/Moscow,2024-01-01T00:00:00Z\n");
        await Run("--data-dir", _folder.File("store"), "ingest", path);

        var (exit, output, _) = await Run("--data-dir", _folder.File("store"), "customer", "C1", "--json");
        var missing = await Run("--data-dir", _folder.File("store"), "customer", "C404");

        exit.Should().Be(0);
        var profile = JsonDocument.Parse(output).RootElement;
        profile.GetProperty("firstName").GetString().Should().Be("Ада");
        profile.GetProperty("insights").GetProperty("contactable").GetBoolean().Should().BeTrue();
        missing.ExitCode.Should().Be(1);
        missing.Error.Should().Contain("No customer with id 'C404'");

        var exported = await Run("--data-dir", _folder.File("store"), "customer", "C1", "--export", _folder.File("c1.json"));
        exported.ExitCode.Should().Be(0, exported.Error);
        var held = JsonDocument.Parse(File.ReadAllText(_folder.File("c1.json"))).RootElement;
        held.GetProperty("format").GetString().Should().Be("automation-customer-data/1");
        held.GetProperty("profile").GetProperty("email").GetString().Should().Be("ada@example.com");
        if (!OperatingSystem.IsWindows()) File.GetUnixFileMode(_folder.File("c1.json")).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public async Task Forget_erases_customers_reports_what_went_and_changes_nothing_the_second_time()
    {
        var store = _folder.File("store");
        var customers = _folder.Write("customers.csv",
            "customer_id,email,first_name,updated_at\nC1,ada@example.com,Ada,2024-01-01T00:00:00Z\nC2,bea@example.com,Bea,2024-01-01T00:00:00Z\n");
        var orders = _folder.Write("transactions.csv",
            "transaction_id,line,customer_id,occurred_at,amount,currency\nT1,1,C1,2024-02-01T10:00:00Z,10.00,EUR\nT1,2,C1,2024-02-01T10:00:00Z,5.00,EUR\n");
        await Run("--data-dir", store, "ingest", customers, orders);

        var (exit, output, error) = await Run("--data-dir", store, "forget", "C1", "C404", "--json");
        var again = JsonDocument.Parse((await Run("--data-dir", store, "forget", "C1", "--json")).Output).RootElement;
        var table = await Run("--data-dir", store, "forget", "C1");

        exit.Should().Be(0, error);
        var erased = JsonDocument.Parse(output).RootElement;
        erased.GetProperty("totals").GetProperty("profiles").GetInt64().Should().Be(1);
        erased.GetProperty("totals").GetProperty("transactionLines").GetInt64().Should().Be(2);
        erased.GetProperty("customers")[1].GetProperty("profile").GetBoolean().Should().BeFalse("C404 was never held");
        again.GetProperty("customers")[0].GetProperty("erasedBefore").GetBoolean().Should().BeTrue();
        again.GetProperty("totals").GetProperty("profiles").GetInt64().Should().Be(0);
        table.Output.Should().Contain("erased before").And.Contain("1 customer erased (1 before)");
        (await Run("--data-dir", store, "customer", "C1")).Error.Should().Contain("Customer 'C1' was erased");
        (await Run("--data-dir", store, "customer", "C2")).ExitCode.Should().Be(0);

        var reimported = JsonDocument.Parse((await Run("--data-dir", store, "ingest", _folder.Write("customers-again.csv",
            "customer_id,email,updated_at\nC1,ada@example.com,2024-03-01T00:00:00Z\n"), "--json")).Output).RootElement.GetProperty("files")[0];
        reimported.GetProperty("erasedRows").GetInt64().Should().Be(1);
        (await Run("--data-dir", store, "customer", "C1")).ExitCode.Should().Be(1, "an old export cannot bring the customer back");

        // Retention needs no sending settings either: in 2099, C2 (updated in 2024) is long inactive.
        var retention = new Dictionary<string, string> { ["Automation__Retention__InactiveMonths"] = "12", ["Automation__Clock__Now"] = "2099-01-01T00:00:00Z" };
        var listed = await CliProcess.RunAsync(["--data-dir", store, "retention", "--dry-run"], environment: retention);
        listed.ExitCode.Should().Be(0, listed.Error);
        listed.Output.Should().StartWith("C2\tlast active 2024-01-01T00:00:00Z");
        var applied = await CliProcess.RunAsync(["--data-dir", store, "retention"], environment: retention);
        applied.ExitCode.Should().Be(0, applied.Error);
        applied.Output.Should().Contain("1 customer erased: 1 profile");
        (await Run("--data-dir", store, "customer", "C2")).Error.Should().Contain("Customer 'C2' was erased");
    }

    [Fact]
    public async Task Control_characters_in_names_are_removed_at_ingestion_and_never_reach_the_terminal()
    {
        var path = _folder.Write("customers.csv",
            "customer_id,email,first_name,last_name,time_zone,updated_at\n" +
            "C1,ada@example.com,\"Ada\u001B]0;owned\u0007\",\"Love\r\nBcc: x@example.com\",Europe/Rome,2024-01-01T00:00:00Z\n");
        var ingest = await Run("--data-dir", _folder.File("store"), "ingest", path);
        // A profile written before this check (straight into the store) still holds them: the output escapes them.
        var options = new Automation.Storage.Sqlite.SqliteStoreSettings { DataDirectory = _folder.File("store") };
        var store = new Automation.Storage.Sqlite.SqliteProfileStore(new Automation.Storage.Sqlite.SqliteDatabase(options), options);
        await Automation.Profiles.Storage.ProfileStoreExtensions.ApplyAsync(store, [new Automation.Profiles.Changes.CustomerUpdate("C2", new("sha256:old", 2), NodaTime.Instant.FromUtc(2024, 1, 1, 0, 0))
            { Email = "c2@example.com", FirstName = "Eve\u001B[2J\u202Eevil", LastName = "Smith\r\nTo: x" }]);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var stored = JsonDocument.Parse((await Run("--data-dir", _folder.File("store"), "customer", "C1", "--json")).Output).RootElement;
        var shown = await Run("--data-dir", _folder.File("store"), "customer", "C2");

        ingest.ExitCode.Should().Be(0, ingest.Error);
        stored.GetProperty("firstName").GetString().Should().Be("Ada]0;owned");
        stored.GetProperty("lastName").GetString().Should().Be("Love Bcc: x@example.com", "a line break becomes a space: no fake header line");
        File.ReadAllText(path + ".rejected.csv").Should().Contain("first_name").And.Contain("control character(s) removed (U+001B, U+0007)");
        shown.ExitCode.Should().Be(0, shown.Error);
        shown.Output.Should().NotContain("\u001B").And.NotContain("\u202E").And.NotContain("\r")
            .And.Contain("Eve\\u001B[2J\\u202Eevil").And.Contain("Smith\\u000D\\u000ATo: x");
    }

    [Theory]
    [InlineData("{ \"Automation\": { \"Ingestion\": { \"BatchSize\": \"lots\" } } }", "Settings error: Automation:Ingestion:BatchSize must be a whole number of rows from 1 to 1000000, got 'lots'.")]
    [InlineData("{ \"Automation\": { \"Storage\": { \"Sqlite\": { \"ProfileCacheSize\": 1.5 } } } }", "Settings error: Automation:Storage:Sqlite:ProfileCacheSize must be a whole number of profiles from 1000 to 10000000, got '1.5'.")]
    [InlineData("{\n  \"Automation\": {\n    \"Ingestion\": { \"BatchSize\": 5 ]\n  }\n}", "it is not valid JSON at line 3, position")]
    [InlineData("{ \"Automaton\": { \"Policies\": { \"DefaultTimeZone\": \"Europe/Rome\" } } }", "Automaton is not a section Automation reads; did you mean Automation?")]
    [InlineData("{ \"Automation\": { \"Polices\": { \"DefaultTimeZone\": \"Europe/Rome\" } } }", "Automation:Polices is not a section Automation knows; did you mean Automation:Policies?")]
    [InlineData("{ \"Automation\": { \"Ingestion\": { \"BatchSise\": 100 } } }", "Automation:Ingestion:BatchSise is not a setting Automation knows; did you mean Automation:Ingestion:BatchSize?")]
    [InlineData("{ \"Automation\": { \"Storage\": { \"Sqlite\": { \"DataDirectry\": \"x\" } } } }", "Automation:Storage:Sqlite:DataDirectry is not a setting Automation knows; did you mean Automation:Storage:Sqlite:DataDirectory?")]
    public async Task A_setting_of_the_wrong_type_a_misspelt_key_or_section_or_a_settings_file_that_is_not_json_exits_two_with_a_sentence(string content, string sentence)
    {
        var settings = _folder.Write("settings.json", content);

        var (exit, _, error) = await Run("--settings", settings, "--data-dir", _folder.File("store"), "customer", "C1");

        exit.Should().Be(2, error);
        error.Should().Contain(sentence);
    }

    [Fact]
    public async Task A_wrong_setting_stops_the_run_with_a_sentence_naming_it()
    {
        var settings = _folder.Write("settings.json", """{ "Automation": { "Ingestion": { "PlaceholderBirthDates": [ "01/01/1900" ] } } }""");

        var (exit, _, error) = await Run("--settings", settings, "--data-dir", _folder.File("store"), "customer", "C1");

        exit.Should().Be(2);
        error.Should().Contain("Automation:Ingestion:PlaceholderBirthDates must hold dates in the form YYYY-MM-DD, got '01/01/1900'.");
    }

    [Fact]
    public async Task An_out_of_range_number_names_the_setting_and_the_allowed_range()
    {
        var settings = _folder.Write("settings.json", """{ "Automation": { "Ingestion": { "BatchSize": 0 } } }""");

        var (exit, _, error) = await Run("--settings", settings, "--data-dir", _folder.File("store"), "customer", "C1");

        exit.Should().Be(2);
        error.Should().Contain("Automation:Ingestion:BatchSize must be a whole number of rows from 1 to 1000000, got '0'.");
    }

    private static Task<(int ExitCode, string Output, string Error)> Run(params string[] args) => CliProcess.RunAsync(args);

    public void Dispose() => _folder.Dispose();
}
