using Automation.Profiles.Model;
using FluentAssertions;
using NodaTime;
using Xunit;

namespace Automation.Ingestion.Tests;

/// <summary>Each rejection reason, each warning, and the report a data team reads. The clock says 2026-11-01.</summary>
public sealed class ValidationTests : IDisposable
{
    private readonly IngestionHarness _h = new();

    private const string CustomersHeader = "customer_id,email,birth_date,time_zone,locale,country,latitude,longitude,email_opt_in,updated_at";
    private const string Good = "C1,ada@example.com,1990-05-01,Europe/Rome,it-IT,IT,41.9,12.5,true,2024-01-01T00:00:00Z";

    [Theory]
    [InlineData(",ada@example.com,1990-05-01,Europe/Rome,it-IT,IT,41.9,12.5,true,2024-01-01T00:00:00Z", "customer_id", "customer_id is missing")]
    [InlineData("C1,ada@example.com,1990-05-01,Europe/Rome,it-IT,IT,41.9,12.5,true,2024-01-01 10:00", "updated_at", "'2024-01-01 10:00' is not an ISO 8601 date and time with offset (e.g. 2024-03-01T14:30:00+01:00)")]
    [InlineData("C1,ada@example.com,1990-05-01,Europe/Rome,it-IT,IT,41.9,12.5,true,2030-01-01T00:00:00Z", "updated_at", "2030-01-01T00:00:00Z is in the future")]
    public async Task A_customer_row_without_a_usable_identity_or_date_is_rejected_with_line_field_and_reason_while_good_rows_land(string bad, string field, string reason)
    {
        var path = _h.Folder.Write("customers.csv", $"{CustomersHeader}\n{Good}\n{bad.Replace("C1,", "C2,", StringComparison.Ordinal)}\n");

        var result = await _h.IngestAsync(path);

        result.Should().Match<FileIngestionResult>(r => r.Status == FileStatus.Completed && r.Accepted == 1 && r.Rejected == 1);
        (await _h.Store.GetAsync("C1")).Should().NotBeNull();
        (await _h.Store.GetAsync("C2")).Should().BeNull();
        var rejected = _h.RejectedRows(path).Should().ContainSingle().Subject;
        rejected[0].Should().Be("3");
        rejected[1].Should().Be("rejected");
        rejected[2].Should().Be(field);
        rejected[3].Should().Be(reason);
        rejected[4].Should().Be(bad.Replace("C1,", "C2,", StringComparison.Ordinal), "the raw line lets the data team find the row");
    }

    [Theory]
    [InlineData("C2,grace@example,1990-05-01,Europe/Rome,it-IT,IT,41.9,12.5,true,2024-01-01T00:00:00Z", "email", "not a valid email address (one @, a domain with a dot, no spaces, at most 254 characters)")]
    [InlineData("C2,grace@example.com,01/05/1990,Europe/Rome,it-IT,IT,41.9,12.5,true,2024-01-01T00:00:00Z", "birth_date", "'01/05/1990' is not a date in the form YYYY-MM-DD")]
    [InlineData("C2,grace@example.com,2027-05-01,Europe/Rome,it-IT,IT,41.9,12.5,true,2024-01-01T00:00:00Z", "birth_date", "2027-05-01 is in the future")]
    [InlineData("C2,grace@example.com,1890-05-01,Europe/Rome,it-IT,IT,41.9,12.5,true,2024-01-01T00:00:00Z", "birth_date", "1890-05-01 implies an age over 120")]
    [InlineData("C2,grace@example.com,0001-01-01,Europe/Rome,it-IT,IT,41.9,12.5,true,2024-01-01T00:00:00Z", "birth_date", "0001-01-01 implies an age over 120")]
    [InlineData("C2,grace@example.com,1990-05-01,Europe/Atlantis,it-IT,IT,41.9,12.5,true,2024-01-01T00:00:00Z", "time_zone", "'Europe/Atlantis' is not a known IANA time zone (e.g. Europe/Rome, Asia/Shanghai)")]
    [InlineData("C2,grace@example.com,1990-05-01,Europe/Rome,italian!,IT,41.9,12.5,true,2024-01-01T00:00:00Z", "locale", "'italian!' is not a BCP 47 language tag (e.g. en, ru-RU, zh-Hans-CN)")]
    [InlineData("C2,grace@example.com,1990-05-01,Europe/Rome,it-IT,XX,41.9,12.5,true,2024-01-01T00:00:00Z", "country", "'XX' is not an ISO 3166-1 alpha-2 country code (e.g. IT, RU, CN, GB)")]
    [InlineData("C2,grace@example.com,1990-05-01,Europe/Rome,it-IT,IT,91.5,12.5,true,2024-01-01T00:00:00Z", "latitude", "91.5 is outside -90..90")]
    [InlineData("C2,grace@example.com,1990-05-01,Europe/Rome,it-IT,IT,41.9,,true,2024-01-01T00:00:00Z", "longitude", "latitude and longitude must be given together")]
    [InlineData("C2,grace@example.com,1990-05-01,Europe/Rome,it-IT,IT,41.9,12.5,maybe,2024-01-01T00:00:00Z", "email_opt_in", "'maybe' is not true or false (accepted: true/false, yes/no, 1/0)")]
    public async Task A_bad_optional_field_costs_that_field_only_and_the_rest_of_the_row_lands(string row, string field, string reason)
    {
        var path = _h.Folder.Write("customers.csv", $"{CustomersHeader}\n{Good}\n{row}\n");

        var result = await _h.IngestAsync(path);

        result.Should().Match<FileIngestionResult>(r => r.Status == FileStatus.Completed && r.Accepted == 2 && r.Rejected == 0 && r.Warnings == 1);
        var warning = _h.RejectedRows(path).Should().ContainSingle().Subject;
        warning[..4].Should().Equal("3", "warning", field, $"{reason}: the row was kept without {field}");
        var profile = await _h.ProfileAsync("C2");
        var kept = new Dictionary<string, object?>
        {
            ["email"] = profile.Email, ["birth_date"] = profile.BirthDate, ["time_zone"] = profile.TimeZone, ["locale"] = profile.Locale,
            ["country"] = profile.Country, ["latitude"] = profile.Coordinates, ["longitude"] = profile.Coordinates,
            ["email_opt_in"] = profile.Consents.GetValueOrDefault(ConsentChannels.Email)?.FromExport,
        };
        kept[field].Should().BeNull($"the bad {field} is dropped");
        kept.Where(k => k.Key != field && !(field is "latitude" or "longitude" && k.Key is "latitude" or "longitude")).Should().OnlyContain(k => k.Value != null,
            "every other field of the row landed, the address and the consent too");
    }

    [Theory]
    [InlineData("T2,,C1,2024-03-01T12:00:00+01:00,twelve,EUR", "amount", "'twelve' is not a number")]
    [InlineData("T2,,C1,2024-03-01T12:00:00,12.00,EUR", "occurred_at", "'2024-03-01T12:00:00' has no UTC offset")]
    [InlineData("T2,,C1,yesterday,12.00,EUR", "occurred_at", "'yesterday' is not an ISO 8601 date and time with offset")]
    [InlineData("T2,,C1,2027-03-01T12:00:00Z,12.00,EUR", "occurred_at", "2027-03-01T12:00:00Z is in the future")]
    [InlineData("T2,,C1,2024-03-01T12:00:00Z,12.00,XYZ", "currency", "'XYZ' is not an ISO 4217 currency code")]
    [InlineData("T2,,C1,2024-03-01T12:00:00Z,12.00,", "currency", "currency is missing")]
    [InlineData("T2,,C1,2024-03-01T12:00:00Z,5000000,EUR", "amount", "5000000 exceeds the plausible maximum of 1000000 per line")]
    [InlineData(",,C1,2024-03-01T12:00:00Z,12.00,EUR", "transaction_id", "transaction_id is missing")]
    [InlineData("T2,,,2024-03-01T12:00:00Z,12.00,EUR", "customer_id", "customer_id is missing")]
    public async Task A_bad_transaction_row_is_rejected_with_a_plain_reason(string bad, string field, string reasonStart)
    {
        var path = _h.Folder.Write("transactions.csv",
            $"transaction_id,line,customer_id,occurred_at,amount,currency\nT1,,C1,2024-03-01T12:00:00+01:00,10.00,EUR\n{bad}\n");

        var result = await _h.IngestAsync(path);

        result.Should().Match<FileIngestionResult>(r => r.Accepted == 1 && r.Rejected == 1);
        var rejected = _h.RejectedRows(path).Should().ContainSingle().Subject;
        rejected[2].Should().Be(field);
        rejected[3].Should().StartWith(reasonStart);
    }

    [Theory]
    [InlineData("C2,email,maybe,2024-03-01T00:00:00Z", "status")]
    [InlineData("C2,fax,opt_in,2024-03-01T00:00:00Z", "channel")]
    [InlineData("C2,email,opt_in,", "occurred_at")]
    public async Task A_bad_consent_row_is_rejected(string bad, string field)
    {
        var path = _h.Folder.Write("consents.csv", $"customer_id,channel,status,occurred_at\nC1,email,opt_in,2024-03-01T00:00:00Z\n{bad}\n");

        var result = await _h.IngestAsync(path);

        result.Should().Match<FileIngestionResult>(r => r.Accepted == 1 && r.Rejected == 1);
        _h.RejectedRows(path).Single()[2].Should().Be(field);
    }

    [Fact]
    public async Task Malformed_csv_rows_are_rejected_with_their_own_line_even_after_multi_line_values()
    {
        var path = _h.Folder.Write("customers.csv",
            "customer_id,first_name,updated_at\n" +
            "C1,\"Ada\nthe\nfirst\",2024-01-01T00:00:00Z\n" +
            "C2,Gra\"ce,2024-01-01T00:00:00Z\n" +
            "C3,Too,many,fields\n" +
            "\n" +
            "C4,Alan,2024-01-01T00:00:00Z\n");

        var result = await _h.IngestAsync(path);

        result.Should().Match<FileIngestionResult>(r => r.RowsRead == 4 && r.Accepted == 2 && r.Rejected == 2);
        var rejected = _h.RejectedRows(path).Where(r => r[1] == "rejected").ToList();
        rejected.Select(r => r[0]).Should().Equal("5", "6");
        rejected.Select(r => r[2]).Should().Equal("(row)", "(row)");
        rejected[1][3].Should().Contain("different number of fields");
        rejected[1][4].Should().Be("C3,Too,many,fields");
        (await _h.Store.GetAsync("C4")).Should().NotBeNull();
    }

    [Fact]
    public async Task Broken_json_lines_are_rejected_and_the_rest_land()
    {
        var path = _h.Folder.Write("customers.jsonl",
            "{\"customer_id\":\"C1\",\"updated_at\":\"2024-01-01T00:00:00Z\"}\n{\"customer_id\": \"C2\",\n[1,2]\n{\"customer_id\":\"C3\",\"updated_at\":\"2024-01-01T00:00:00Z\"}\n");

        var result = await _h.IngestAsync(path);

        result.Should().Match<FileIngestionResult>(r => r.Accepted == 2 && r.Rejected == 2);
        _h.RejectedRows(path).Select(r => (r[0], r[3])).Should().Equal(
            ("2", "the line is not valid JSON"), ("3", "the line is not a JSON object"));
    }

    [Fact]
    public async Task Placeholder_values_are_dropped_with_a_warning_and_the_rest_of_the_row_kept()
    {
        var path = _h.Folder.Write("customers.csv",
            $"{CustomersHeader}\nC1,ada@example.com,1900-01-01,Europe/Rome,it-IT,IT,0,0,true,2024-01-01T00:00:00Z\n");

        var result = await _h.IngestAsync(path);

        result.Should().Match<FileIngestionResult>(r => r.Accepted == 1 && r.Rejected == 0 && r.Warnings == 2);
        var profile = await _h.ProfileAsync("C1");
        profile.BirthDate.Should().BeNull();
        profile.Coordinates.Should().BeNull();
        profile.Email.Should().Be("ada@example.com");
        _h.RejectedRows(path).Select(r => (r[1], r[2])).Should().Equal(("warning", "birth_date"), ("warning", "latitude"));
    }

    [Fact]
    public async Task The_summary_report_counts_what_happened()
    {
        var path = _h.Folder.Write("customers.csv", $"{CustomersHeader}\n{Good}\nC2,not-an-email,,,,,,,,2024-01-01T00:00:00Z\n,c3@example.com,,,,,,,,2024-01-01T00:00:00Z\n");

        await _h.IngestAsync(path);

        var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path + ReportNames.SummarySuffix)).RootElement;
        report.GetProperty("status").GetString().Should().Be("completed");
        report.GetProperty("rowsRead").GetInt64().Should().Be(3);
        report.GetProperty("accepted").GetInt64().Should().Be(2);
        report.GetProperty("rejected").GetInt64().Should().Be(1);
        report.GetProperty("warnings").GetInt64().Should().Be(1);
        report.GetProperty("contentId").GetString().Should().StartWith("sha256:");
    }

    [Fact]
    public async Task A_birthday_today_on_the_far_side_of_the_date_line_is_not_in_the_future()
    {
        // 2026-11-01 12:00 UTC is already 2026-11-02 in Kiritimati (UTC+14).
        var path = _h.Folder.Write("customers.csv", "customer_id,birth_date,updated_at\nC1,2026-11-02,2024-01-01T00:00:00Z\n");

        (await _h.IngestAsync(path)).Accepted.Should().Be(1);
        (await _h.ProfileAsync("C1")).BirthDate.Should().Be(new LocalDate(2026, 11, 2));
    }

    [Fact]
    public async Task An_address_the_channel_cannot_deliver_is_kept_with_a_warning_that_names_the_field_not_the_address()
    {
        var path = _h.Folder.Write("customers.csv", $"{CustomersHeader}\n{Good}\nC2,jörg.müller@example.de,1990-05-01,Europe/Berlin,de-DE,DE,52.5,13.4,true,2024-01-01T00:00:00Z\n");
        var sendGrid = new IngestionService(_h.Store, _h.Ledger, _h.ConsentsGate, _h.Clock,
            new IngestionSettings(), Microsoft.Extensions.Logging.Abstractions.NullLogger<IngestionService>.Instance,
            new Automation.Profiles.Model.AddressSupport("SendGrid", NonAsciiLocalParts: false));

        var result = await sendGrid.IngestAsync(new LocalExportFile(path));

        result.Should().Match<FileIngestionResult>(r => r.Status == FileStatus.Completed && r.Accepted == 2 && r.Warnings == 1);
        (await _h.ProfileAsync("C2")).Email.Should().Be("jörg.müller@example.de", "the address is kept: a change of channel or address makes it deliverable");
        var warning = _h.RejectedRows(path).Should().ContainSingle().Subject;
        (warning[0], warning[1], warning[2]).Should().Be(("3", "warning", "email"));
        warning[3].Should().Be("kept, but the address's local part (before the @) is not ASCII, and SendGrid cannot deliver to such an address (it needs SMTPUTF8): " +
            "the customer is not mailed until the address changes or the channel does");
    }

    [Fact]
    public async Task A_channel_with_SMTPUTF8_takes_a_non_ASCII_local_part_without_a_warning()
    {
        var path = _h.Folder.Write("customers.csv", $"{CustomersHeader}\nC2,李雷@example.cn,1990-05-01,Asia/Shanghai,zh-CN,CN,31.2,121.5,true,2024-01-01T00:00:00Z\n");

        var result = await _h.IngestAsync(path);

        result.Should().Match<FileIngestionResult>(r => r.Accepted == 1 && r.Warnings == 0);
    }

    [Theory]
    [InlineData("C/1", "customer_id contains '/', which no id may hold (/, \\, ? and # are reserved by the stores)")]
    [InlineData("C\\1", "customer_id contains '\\', which no id may hold (/, \\, ? and # are reserved by the stores)")]
    [InlineData("C?1", "customer_id contains '?', which no id may hold (/, \\, ? and # are reserved by the stores)")]
    [InlineData("C#1", "customer_id contains '#', which no id may hold (/, \\, ? and # are reserved by the stores)")]
    [InlineData("C\u00071", "customer_id contains the control character U+0007")]
    [InlineData("erased:0a1b", "customer_id starts with 'erased:', which marks erased customers in the store")]
    public async Task An_id_a_store_cannot_key_on_rejects_the_row_with_the_reason(string id, string reason)
    {
        var customers = _h.Folder.Write("customers.csv", $"customer_id,email,updated_at\nC1,ada@example.com,2024-01-01T00:00:00Z\n{id},x@example.com,2024-01-01T00:00:00Z\n");
        var transactions = _h.Folder.Write("transactions.csv", $"transaction_id,customer_id,occurred_at,amount,currency\n{id},C1,2024-03-01T12:00:00Z,10.00,EUR\nT2,{id},2024-03-01T12:00:00Z,10.00,EUR\n");

        (await _h.IngestAsync(customers)).Should().Match<FileIngestionResult>(r => r.Accepted == 1 && r.Rejected == 1);
        (await _h.IngestAsync(transactions)).Should().Match<FileIngestionResult>(r => r.Accepted == 0 && r.Rejected == 2);

        _h.RejectedRows(customers).Single()[3].Should().Be(reason);
        _h.RejectedRows(transactions).Select(r => r[3]).Should().Equal(reason.Replace("customer_id", "transaction_id", StringComparison.Ordinal), reason);
    }

    [Fact]
    public async Task An_overlong_id_is_rejected_and_an_overlong_text_costs_only_that_field()
    {
        var longId = new string('7', 129);
        var hugeName = new string('A', 2 * 1024 * 1024);
        var path = _h.Folder.Write("customers.csv",
            $"customer_id,email,first_name,city,updated_at\n{longId},x@example.com,Ada,Rome,2024-01-01T00:00:00Z\nC2,grace@example.com,{hugeName},Rome,2024-01-01T00:00:00Z\nC3,al@example.com,Al,Oslo,2024-01-01T00:00:00Z\n");

        var result = await _h.IngestAsync(path);

        result.Should().Match<FileIngestionResult>(r => r.Accepted == 2 && r.Rejected == 1);
        var issues = _h.RejectedRows(path);
        issues.Should().Contain(r => r[1] == "rejected" && r[3] == "customer_id is 129 characters long; an id may have at most 128");
        issues.Should().Contain(r => r[1] == "warning" && r[2] == "first_name" && r[3].StartsWith("the value is 2097152 characters long, more than the 1000 a field may hold", StringComparison.Ordinal));
        var kept = await _h.ProfileAsync("C2");
        kept.FirstName.Should().BeNull();
        kept.City.Should().Be("Rome");
        kept.Email.Should().Be("grace@example.com");
    }

    [Fact]
    public async Task A_bad_quantity_or_consent_address_costs_only_that_field()
    {
        var transactions = _h.Folder.Write("transactions.csv",
            "transaction_id,customer_id,occurred_at,amount,currency,quantity\nT1,C1,2024-03-01T12:00:00Z,10.00,EUR,two\n");
        var consents = _h.Folder.Write("consents.csv",
            "customer_id,email,channel,status,occurred_at\nC1,not-an-address,email,opt_out,2024-03-01T12:00:00Z\n");

        (await _h.IngestAsync(transactions)).Should().Match<FileIngestionResult>(r => r.Accepted == 1 && r.Warnings == 1);
        (await _h.IngestAsync(consents)).Should().Match<FileIngestionResult>(r => r.Accepted == 1 && r.Warnings == 1);

        var profile = await _h.ProfileAsync("C1");
        profile.Purchases.OrderCount.Should().Be(1);
        profile.Consents[ConsentChannels.Email].IsOptedIn.Should().BeFalse("the opt-out landed although its address column was unusable");
        _h.RejectedRows(consents).Single()[3].Should().EndWith(": the row was kept without email");
    }

    [Fact]
    public async Task Control_characters_leave_every_free_text_field_with_a_warning_and_the_row_lands()
    {
        var customers = _h.Folder.Write("customers.csv",
            "customer_id,email,city,loyalty_tier,updated_at\nC1,ada@example.com,Ro\u0000me,gold\u009B31m,2024-01-01T00:00:00Z\n");
        var transactions = _h.Folder.Write("transactions.csv",
            "transaction_id,customer_id,occurred_at,amount,currency,category\nT1,C1,2024-03-01T12:00:00Z,10.00,EUR,\"skin\tcare\u0007\"\n");

        await _h.IngestAsync(customers);
        await _h.IngestAsync(transactions);

        var profile = await _h.ProfileAsync("C1");
        profile.City.Should().Be("Rome");
        profile.CustomAttributes["loyalty_tier"].Should().Be("gold31m");
        profile.Purchases.Categories.Keys.Should().Equal("skin care");
        _h.RejectedRows(customers).Select(r => (r[1], r[2])).Should().BeEquivalentTo([("warning", "city"), ("warning", "loyalty_tier")]);
        _h.RejectedRows(transactions).Should().ContainSingle().Which[3].Should().StartWith("2 control character(s) removed (U+0009, U+0007)");
    }

    public void Dispose() => _h.Dispose();
}
