using Automation.Profiles.Model;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Ingestion.Tests;

public sealed class ExportFormatTests : IDisposable
{
    private readonly IngestionHarness _h = new();

    private const string CustomersHeader = "customer_id,email,first_name,last_name,birth_date,locale,time_zone,city,postal_code,country,latitude,longitude,email_opt_in,health_personalization_opt_in,updated_at";

    [Fact]
    public async Task Quoted_fields_with_commas_quotes_and_newlines_are_read_as_one_value()
    {
        var path = _h.Folder.Write("customers.csv",
            CustomersHeader + "\n" +
            "C1,ada@example.com,\"Ada, \"\"the first\"\"\",\"Love\nlace\",1990-05-01,en-GB,Europe/London,London,N1,GB,51.5,-0.12,true,false,2024-01-01T00:00:00Z\n");

        var result = await _h.IngestAsync(path);

        result.Accepted.Should().Be(1);
        var profile = await _h.ProfileAsync("C1");
        profile.FirstName.Should().Be("Ada, \"the first\"");
        profile.LastName.Should().Be("Love lace", "the quoted value is read whole, and a line break in a name is stored as a space (a warning says so)");
    }

    [Fact]
    public async Task Crlf_line_endings_a_byte_order_mark_and_semicolons_are_understood()
    {
        var path = _h.Folder.Write("customers.csv",
            CustomersHeader.Replace(',', ';') + "\r\n" +
            "C1;ada@example.com;Ada;Lovelace;1990-05-01;en-GB;Europe/London;London;N1;GB;51,5;-0,12;true;false;2024-01-01T00:00:00Z\r\n",
            bom: true);

        var result = await _h.IngestAsync(path);

        result.Should().Match<FileIngestionResult>(r => r.Accepted == 1 && r.Rejected == 0);
        var profile = await _h.ProfileAsync("C1");
        profile.CustomerId.Should().Be("C1", "the BOM must not stick to the first header");
        profile.Coordinates.Should().Be(new GeoPoint(51.5, -0.12), "a decimal comma is accepted in semicolon files");
    }

    [Fact]
    public async Task Header_names_are_case_insensitive_order_free_and_accept_aliases()
    {
        var path = _h.Folder.Write("customers.csv",
            "Updated_At,E-Mail,CustomerID,DOB,TZ,Loyalty Tier\n" +
            "2024-01-01T00:00:00Z,ada@example.com,C1,1990-05-01,Europe/Rome,gold\n");

        var result = await _h.IngestAsync(path);

        result.Accepted.Should().Be(1);
        var profile = await _h.ProfileAsync("C1");
        profile.Email.Should().Be("ada@example.com");
        profile.BirthDate.Should().Be(new LocalDate(1990, 5, 1));
        profile.TimeZone.Should().Be("Europe/Rome");
        profile.CustomAttributes.Should().Equal(new Dictionary<string, string> { ["Loyalty Tier"] = "gold" });
    }

    [Fact]
    public async Task Gzip_and_json_lines_and_both_together_are_ingested()
    {
        const string Csv = "transaction_id,customer_id,occurred_at,amount,currency\nT1,C1,2024-03-01T12:00:00+01:00,10.50,EUR\n";
        const string Jsonl = "{\"transaction_id\":\"T2\",\"customer_id\":\"C1\",\"occurred_at\":\"2024-03-02T12:00:00+01:00\",\"amount\":5,\"currency\":\"EUR\"}\n" +
                             "\n{\"TransactionID\":\"T3\",\"CustomerId\":\"C1\",\"timestamp\":\"2024-03-03T12:00:00Z\",\"amount\":\"4.50\",\"currency\":\"eur\"}\n";
        const string JsonlGz = "{\"transaction_id\":\"T4\",\"customer_id\":\"C1\",\"occurred_at\":\"2024-03-04T12:00:00Z\",\"amount\":1,\"currency\":\"EUR\"}\n";

        var results = new[]
        {
            await _h.IngestAsync(_h.Folder.WriteGzip("transactions-1.csv.gz", Csv)),
            await _h.IngestAsync(_h.Folder.Write("transactions-2.jsonl", Jsonl)),
            await _h.IngestAsync(_h.Folder.WriteGzip("transactions-3.jsonl.gz", JsonlGz)),
        };

        results.Select(r => r.Format).Should().Equal("csv+gzip", "jsonl", "jsonl+gzip");
        results.Sum(r => r.Accepted).Should().Be(4);
        var profile = await _h.ProfileAsync("C1");
        profile.Purchases.SpendByCurrency["EUR"].Gross.Should().Be(21m);
        profile.Purchases.PurchaseDays.Should().HaveCount(4);
    }

    [Fact]
    public async Task The_kind_is_recognised_from_the_header_when_the_name_does_not_say()
    {
        var path = _h.Folder.Write("export-2024-03.csv",
            "customer_id,channel,status,occurred_at\nC1,email,opt_out,2024-03-01T00:00:00Z\n");

        var result = await _h.IngestAsync(path);

        result.Kind.Should().Be("consents");
        (await _h.ProfileAsync("C1")).Consents["email"].IsOptedIn.Should().BeFalse();
    }

    [Fact]
    public async Task A_file_of_unknown_kind_fails_with_a_sentence_and_writes_its_report()
    {
        var path = _h.Folder.Write("export.csv", "colour,size\nred,M\n");

        var result = await _h.IngestAsync(path);

        result.Status.Should().Be(FileStatus.Failed);
        result.Error.Should().Contain("Cannot tell what kind of export");
        File.ReadAllText(path + ReportNames.SummarySuffix).Should().Contain("\"status\": \"failed\"");
    }

    [Fact]
    public async Task A_missing_required_column_fails_the_file()
    {
        var path = _h.Folder.Write("transactions.csv", "transaction_id,customer_id,occurred_at,currency\nT1,C1,2024-03-01T12:00:00Z,EUR\n");

        var result = await _h.IngestAsync(path);

        result.Status.Should().Be(FileStatus.Failed);
        result.Error.Should().Be("The header of this transactions export has no amount column.");
    }

    [Fact]
    public async Task A_header_naming_one_column_twice_fails_the_file_rather_than_guess()
    {
        var path = _h.Folder.Write("customers.csv", "customer_id,email,E-Mail,updated_at\nC1,a@example.com,b@example.com,2024-01-01T00:00:00Z\n");

        var result = await _h.IngestAsync(path);

        result.Status.Should().Be(FileStatus.Failed);
        result.Error.Should().Be("The header names column email more than once (email, E-Mail).");
    }

    [Fact]
    public async Task A_corrupt_gzip_file_fails_without_crashing()
    {
        var path = _h.Folder.File("transactions.csv.gz");
        await File.WriteAllBytesAsync(path, [0x1F, 0x8B, 0x08, 0x00, 0x01, 0x02, 0x03]);

        var result = await _h.IngestAsync(path);

        result.Status.Should().Be(FileStatus.Failed);
    }

    [Theory]
    [InlineData("cut short", "the compressed file ends early")]
    [InlineData("damaged", "unsupported compression method")]
    public async Task A_gzip_damaged_part_way_fails_but_the_rows_before_the_damage_land(string damage, string reason)
    {
        // Commits only at the end of a file: the rows before the damage must be committed on failure too.
        using var h = new IngestionHarness(batchSize: 50, commitEveryRows: 1_000_000);
        var rows = Enumerable.Range(1, 20_000).Select(i => $"T{i},C{i % 50},2024-03-01T12:00:00Z,1.00,EUR");
        var csv = "transaction_id,customer_id,occurred_at,amount,currency\n" + string.Join("\n", rows) + "\n";
        var whole = h.Folder.WriteGzip("transactions-whole.csv.gz", csv);
        var bytes = await File.ReadAllBytesAsync(whole);
        if (damage == "cut short") bytes = bytes[..(bytes.Length * 6 / 10)];
        else for (var i = bytes.Length / 2; i < bytes.Length / 2 + 64; i++) bytes[i] ^= 0xFF;
        var broken = h.Folder.File("transactions-broken.csv.gz");
        await File.WriteAllBytesAsync(broken, bytes);

        var result = await h.IngestAsync(broken);

        result.Status.Should().Be(FileStatus.Failed);
        result.Error.Should().Contain(reason).And.Contain("Rows before that point were ingested");
        result.Accepted.Should().BeInRange(1, 19_999);
        var landed = (await IngestionHarness.SnapshotAsync(h.Store)).Count;
        landed.Should().Be(50, "every customer seen before the damage has its rows");

        var fixedCopy = await h.IngestAsync(whole);

        fixedCopy.Should().Match<FileIngestionResult>(r => r.Status == FileStatus.Completed && r.Accepted + r.Duplicates == 20_000);
        fixedCopy.Duplicates.Should().Be(result.Accepted, "what landed from the broken copy is not counted twice");
        var total = 0m;
        await foreach (var profile in h.Store.ReadAllAsync()) total += profile.Purchases.SpendByCurrency["EUR"].Gross;
        total.Should().Be(20_000m);
    }

    [Theory]
    [InlineData("504B0304140006000800000021", "a ZIP archive, such as an Excel workbook (.xlsx)")]
    [InlineData("D0CF11E0A1B11AE1000000", "an old-style Office file, such as an Excel 97–2003 workbook (.xls)")]
    [InlineData("255044462D312E370A", "a PDF document")]
    [InlineData("425A6839314159265359", "a bzip2-compressed file")]
    [InlineData("00010203FFFEFD7F00000000", "binary data (it is full of NUL and other control bytes")]
    [InlineData("63007500730074006F006D00650072005F0069006400", "text in UTF-16 without a byte order mark")]
    public async Task A_file_that_is_not_a_text_export_fails_saying_what_it_looks_like(string hex, string looksLike)
    {
        var path = _h.Folder.File("customers.csv");
        await File.WriteAllBytesAsync(path, Convert.FromHexString(hex));

        var result = await _h.IngestAsync(path);

        result.Status.Should().Be(FileStatus.Failed);
        result.Error.Should().StartWith("This is not a text export: it looks like " + looksLike).And.Contain("CSV (UTF-8) or JSON Lines");
    }

    [Fact]
    public async Task Lines_of_only_spaces_or_separators_are_ignored_like_empty_lines()
    {
        var path = _h.Folder.Write("customers.csv",
            "customer_id,email,first_name,updated_at\n" +
            "C1,ada@example.com,Ada,2024-01-01T00:00:00Z\n" +
            "   \n" +
            ",,,\n" +
            " , ,\t,\n" +
            ",,\n" +
            "C2,grace@example.com,Grace,2024-01-01T00:00:00Z\n");

        var result = await _h.IngestAsync(path);

        result.Should().Match<FileIngestionResult>(r => r.RowsRead == 2 && r.Accepted == 2 && r.Rejected == 0 && r.Warnings == 0);
        _h.RejectedRows(path).Should().BeEmpty();
    }

    public void Dispose() => _h.Dispose();
}
