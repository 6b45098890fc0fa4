using System.Text;
using Automation.Ingestion.Formats;
using FluentAssertions;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Automation.Ingestion.Tests;

/// <summary>Exports in the encodings point-of-sale and accounting systems write: read as meant, or refused with a reason, never U+FFFD.</summary>
public sealed class EncodingTests : IDisposable
{
    private const string Header = "customer_id,email,first_name,city,updated_at\n";
    private readonly List<IngestionHarness> _harnesses = [];

    static EncodingTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private IngestionHarness Harness(Func<IngestionSettings, IngestionSettings>? configure = null)
    {
        var harness = new IngestionHarness(configure: configure);
        _harnesses.Add(harness);
        return harness;
    }

    private static string Write(IngestionHarness h, string name, string text, Encoding encoding, bool bom = false)
    {
        var path = h.Folder.File(name);
        File.WriteAllBytes(path, [.. bom ? encoding.GetPreamble() : [], .. encoding.GetBytes(text)]);
        return path;
    }

    [Theory]
    [InlineData("windows-1251", "C2,ivan@example.com,Иван,Москва,2024-01-01T00:00:00Z\n", "Иван", "Москва")]
    [InlineData("gb18030", "C2,li@example.com,丽,上海,2024-01-01T00:00:00Z\n", "丽", "上海")]
    [InlineData("windows-1252", "C2,nicolo@example.com,Niccolò,Forlì,2024-01-01T00:00:00Z\n", "Niccolò", "Forlì")]
    [InlineData("shift_jis", "C2,hana@example.com,花子,東京,2024-01-01T00:00:00Z\n", "花子", "東京")]
    public async Task An_export_in_a_declared_encoding_is_read_as_written(string encodingName, string row, string firstName, string city)
    {
        var h = Harness(o => o with { Encoding = encodingName });
        var path = Write(h, "customers.csv", Header + "C1,ada@example.com,Ada,Rome,2024-01-01T00:00:00Z\n" + row, Encoding.GetEncoding(encodingName));

        var result = await h.IngestAsync(path);

        result.Should().Match<FileIngestionResult>(r => r.Status == FileStatus.Completed && r.Accepted == 2);
        var profile = await h.ProfileAsync("C2");
        profile.FirstName.Should().Be(firstName);
        profile.City.Should().Be(city);
    }

    [Fact]
    public async Task An_undeclared_export_that_is_not_utf8_fails_naming_line_byte_and_setting_and_stores_no_replacement_character()
    {
        var h = Harness();
        var path = Write(h, "customers-1c.csv", Header + "C1,ada@example.com,Ada,Rome,2024-01-01T00:00:00Z\nC2,ivan@example.com,Иван,Москва,2024-01-01T00:00:00Z\n",
            Encoding.GetEncoding("windows-1251"));

        var result = await h.IngestAsync(path);

        result.Status.Should().Be(FileStatus.Failed);
        result.Error.Should().StartWith("The file is not valid utf-8 text: line 3, byte 114 holds the sequence 0xC8")
            .And.Contain("Automation:Ingestion:Encoding").And.Contain("Automation:Ingestion:Encodings");
        await foreach (var profile in h.Store.ReadAllAsync())
        {
            (profile.FirstName + profile.City).Should().NotContain("\uFFFD");
        }

        // Declared for its file name, the same content is read as written.
        var declared = Harness(o => o with { Encodings = new Dictionary<string, string> { ["*-1c.csv"] = "windows-1251" } });
        (await declared.IngestAsync(Write(declared, "customers-1c.csv", File.ReadAllText(path, Encoding.GetEncoding("windows-1251")), Encoding.GetEncoding("windows-1251"))))
            .Status.Should().Be(FileStatus.Completed);
        (await declared.ProfileAsync("C2")).FirstName.Should().Be("Иван");
    }

    [Theory]
    [InlineData("utf-16", false)]
    [InlineData("utf-16BE", false)]
    [InlineData("utf-32", false)]
    [InlineData("utf-8", false)]
    [InlineData("utf-16", true)]
    public async Task A_byte_order_mark_says_the_encoding_of_csv_and_json_lines(string encodingName, bool jsonLines)
    {
        var h = Harness();
        var text = jsonLines
            ? "{\"customer_id\":\"C1\",\"email\":\"ada@example.com\",\"first_name\":\"Адa\",\"updated_at\":\"2024-01-01T00:00:00Z\"}\n"
            : Header + "C1,ada@example.com,Адa,Москва,2024-01-01T00:00:00Z\n";
        var path = Write(h, jsonLines ? "customers.jsonl" : "customers.csv", text, Encoding.GetEncoding(encodingName), bom: true);

        var result = await h.IngestAsync(path);

        result.Should().Match<FileIngestionResult>(r => r.Status == FileStatus.Completed && r.Accepted == 1, result.Error);
        (await h.ProfileAsync("C1")).FirstName.Should().Be("Адa");
    }

    [Fact]
    public async Task A_sequence_the_declared_encoding_cannot_decode_fails_the_file_with_the_encoding_named()
    {
        var h = Harness(o => o with { Encoding = "utf-16" });
        var path = h.Folder.File("customers.csv");
        // A lone low surrogate (0xDC00) is not UTF-16.
        File.WriteAllBytes(path, [.. Encoding.Unicode.GetBytes(Header + "C1,ada@example.com,"), 0x00, 0xDC, .. Encoding.Unicode.GetBytes(",Rome,2024-01-01T00:00:00Z\n")]);

        var result = await h.IngestAsync(path);

        result.Status.Should().Be(FileStatus.Failed);
        result.Error.Should().StartWith("The file is not valid utf-16 text: line 2");
    }

    [Theory]
    [InlineData("Encoding", "klingon-8")]
    [InlineData("Encodings", "latin-9000")]
    public void An_encoding_dotnet_does_not_know_is_refused_naming_the_setting(string key, string name)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(
            [new(key == "Encoding" ? "Automation:Ingestion:Encoding" : "Automation:Ingestion:Encodings:*.csv", name)]).Build();

        var read = () => IngestionSettings.Read(configuration);

        read.Should().Throw<Automation.Settings.SettingsValidationException>().Which.Problems.Should().ContainSingle().Which.Should().StartWith($"Automation:Ingestion:{(key == "Encoding" ? "Encoding" : "Encodings:*.csv")} must name an encoding")
            .And.EndWith($"got '{name}'.");
        ExportEncodings.Strict("windows-1251").Should().NotBeNull("code pages are known");
    }

    public void Dispose()
    {
        foreach (var harness in _harnesses) harness.Dispose();
    }
}
