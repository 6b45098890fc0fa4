using System.Globalization;
using System.Text;
using Automation.Ingestion.Formats;
using Bogus;
using MathNet.Numerics.Distributions;
using NodaTime;
using NodaTime.Text;

namespace Automation.SyntheticData;

public sealed record GeneratorSettings(int Customers, long Transactions, int Seed = 1, double BadRowRate = 0.0)
{
    /// <summary>The last day purchases may fall on; history runs back about two years from it.</summary>
    public LocalDate EndDate { get; init; } = new(2026, 10, 31);
}

public sealed record GeneratedFiles(string Customers, string Transactions, string Consents, long TransactionRows, long BadRows);

/// <summary>
/// Writes customers.csv, transactions.csv and consents.csv. Purchases follow a buy-till-you-die
/// process (gamma-distributed purchase rates, beta-distributed dropout, a share of loyal customers),
/// written in time order as real exports are, with memory bounded by the number of customers.
/// </summary>
public static class ExportGenerator
{
    private static readonly Market[] Markets =
    [
        new("en", "en-GB", "Europe/London", "GB", "GBP", 51.51, -0.13),
        new("en_US", "en-US", "America/New_York", "US", "USD", 40.71, -74.01),
        new("ru", "ru-RU", "Europe/Moscow", "RU", "RUB", 55.76, 37.62),
        new("zh_CN", "zh-CN", "Asia/Shanghai", "CN", "CNY", 31.23, 121.47),
        new("it", "it-IT", "Europe/Rome", "IT", "EUR", 41.90, 12.50),
        new("de", "de-DE", "Europe/Berlin", "DE", "EUR", 52.52, 13.40),
        new("fr", "fr-FR", "Europe/Paris", "FR", "EUR", 48.86, 2.35),
        new("es", "es-ES", "Europe/Madrid", "ES", "EUR", 40.42, -3.70),
        new("ja", "ja-JP", "Asia/Tokyo", "JP", "JPY", 35.68, 139.69),
    ];

    private static readonly (string Category, string Product, decimal Price)[] Catalog =
    [
        ("skincare", "Hydrating face cream", 24.90m), ("skincare", "Sunscreen SPF 50", 15.50m),
        ("allergy", "Antihistamine tablets", 8.99m), ("allergy", "Saline nasal spray", 6.49m),
        ("vitamins", "Vitamin D3 drops", 11.20m), ("haircare", "Repair shampoo", 9.80m),
        ("fragrance", "Eau de toilette 50 ml", 59.00m), ("baby", "Sensitive baby wipes", 3.99m),
        ("home", "Scented candle", 19.00m), ("sport", "Protein bar box", 29.90m),
    ];

    public static async Task<GeneratedFiles> WriteAsync(GeneratorSettings settings, string folder, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(settings.Customers);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.Transactions);
        if (settings.BadRowRate is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(settings), "The bad-row rate must be between 0 and 1.");
        Directory.CreateDirectory(folder);

        var customers = CreateCustomers(settings);
        var paths = new GeneratedFiles(
            Path.Combine(folder, "customers.csv"), Path.Combine(folder, "transactions.csv"), Path.Combine(folder, "consents.csv"), 0, 0);
        long badRows = 0;
        badRows += await WriteCustomersAsync(customers, settings, paths.Customers, cancellationToken);
        badRows += await WriteConsentsAsync(customers, settings, paths.Consents, cancellationToken);
        var (rows, badTransactions) = await WriteTransactionsAsync(customers, settings, paths.Transactions, cancellationToken);
        return paths with { TransactionRows = rows, BadRows = badRows + badTransactions };
    }

    private static SyntheticCustomer[] CreateCustomers(GeneratorSettings settings)
    {
        var random = new Random(settings.Seed);
        var people = new SyntheticCustomer[settings.Customers];
        var fakers = Markets.ToDictionary(m => m.BogusLocale, m => new Faker(m.BogusLocale) { Random = new Randomizer(settings.Seed) });
        var end = settings.EndDate;
        for (var i = 0; i < people.Length; i++)
        {
            var market = Markets[random.Next(Markets.Length)];
            var faker = fakers[market.BogusLocale];
            var female = random.NextDouble() < 0.5;
            var gender = female ? Bogus.DataSets.Name.Gender.Female : Bogus.DataSets.Name.Gender.Male;
            var age = 18 + (int)Math.Min(70, Gamma.Sample(random, 6, 0.28));
            var loyal = random.NextDouble() < 0.3;
            people[i] = new SyntheticCustomer(
                Id: "C" + (i + 1).ToString("D7", CultureInfo.InvariantCulture),
                Market: market,
                FirstName: faker.Name.FirstName(gender),
                LastName: faker.Name.LastName(gender),
                City: faker.Address.City(),
                BirthDate: end.PlusYears(-age).PlusDays(-random.Next(365)),
                Latitude: market.Latitude + (random.NextDouble() - 0.5),
                Longitude: market.Longitude + (random.NextDouble() - 0.5),
                // Purchases per day and the chance of dropping out after each purchase (BG/NBD's story).
                PurchaseRate: Gamma.Sample(random, 1.2, 40),
                Dropout: loyal ? 0 : Beta.Sample(random, 1, 9),
                AcquiredDay: random.Next(0, 600),
                Tier: random.NextDouble() switch { < 0.6 => "bronze", < 0.9 => "silver", _ => "gold" });
        }

        return people;
    }

    private const int SharedAddressEvery = 50;

    private static async Task<long> WriteCustomersAsync(SyntheticCustomer[] customers, GeneratorSettings settings, string path, CancellationToken cancellationToken)
    {
        var random = new Random(settings.Seed + 1);
        await using var writer = CreateWriter(path);
        await writer.WriteRowAsync("customer_id,email,first_name,last_name,birth_date,locale,time_zone,city,postal_code,country,latitude,longitude,email_opt_in,health_personalization_opt_in,updated_at,loyalty_tier".Split(','));
        var updatedAt = settings.EndDate.AtMidnight().InUtc().ToInstant();
        long bad = 0;
        string? previousEmail = null;
        for (var i = 0; i < customers.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var c = customers[i];
            var email = $"{Slug(c.FirstName)}.{c.Id.ToLowerInvariant()}@example.{(c.Id[^1] % 3) switch { 0 => "com", 1 => "org", _ => "net" }}";
            // One customer in 50 has the address of the one before, in capitals: a person on two records,
            // or a household, as real exports have. (By position, so the random draws stay those of the seed.)
            if (i % SharedAddressEvery == SharedAddressEvery - 1 && previousEmail is not null) email = previousEmail.ToUpperInvariant();
            previousEmail = email;
            var fields = new[]
            {
                c.Id,
                email,
                c.FirstName, c.LastName,
                random.NextDouble() < 0.1 ? string.Empty : LocalDatePattern.Iso.Format(c.BirthDate),
                c.Market.Locale, c.Market.TimeZone, c.City,
                random.Next(10000, 99999).ToString(CultureInfo.InvariantCulture),
                c.Market.Country,
                random.NextDouble() < 0.2 ? string.Empty : c.Latitude.ToString("F4", CultureInfo.InvariantCulture),
                string.Empty,
                random.NextDouble() < 0.85 ? "true" : "false",
                random.NextDouble() < 0.1 ? "true" : "false",
                InstantPattern.ExtendedIso.Format(updatedAt - Duration.FromMinutes(random.Next(0, 500_000))),
                c.Tier,
            };
            fields[11] = fields[10].Length == 0 ? string.Empty : c.Longitude.ToString("F4", CultureInfo.InvariantCulture);
            if (random.NextDouble() < settings.BadRowRate)
            {
                bad++;
                switch (random.Next(5))
                {
                    case 0: fields[1] = "not-an-email"; break;
                    case 1: fields[4] = "31/02/1990"; break;
                    case 2: fields[6] = "Mars/Olympus_Mons"; break;
                    case 3: fields[0] = string.Empty; break;
                    default: fields[4] = LocalDatePattern.Iso.Format(settings.EndDate.PlusYears(2)); break;
                }
            }

            await writer.WriteRowAsync(fields);
        }

        return bad;
    }

    private static async Task<long> WriteConsentsAsync(SyntheticCustomer[] customers, GeneratorSettings settings, string path, CancellationToken cancellationToken)
    {
        var random = new Random(settings.Seed + 2);
        await using var writer = CreateWriter(path);
        await writer.WriteRowAsync("customer_id,email,channel,status,occurred_at,source".Split(','));
        var end = settings.EndDate.AtMidnight().InUtc().ToInstant();
        long bad = 0;
        foreach (var c in customers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var roll = random.NextDouble();
            if (roll > 0.15) continue;
            var (channel, status, source) = roll < 0.05
                ? ("email", "opt_out", "unsubscribe link")
                : roll < 0.10 ? ("health_personalization", "opt_in", "preference centre") : ("email", "opt_in", "checkout");
            var fields = new[] { c.Id, string.Empty, channel, status, InstantPattern.ExtendedIso.Format(end - Duration.FromHours(random.Next(1, 10_000))), source };
            if (random.NextDouble() < settings.BadRowRate)
            {
                bad++;
                fields[3] = "maybe";
            }

            await writer.WriteRowAsync(fields);
        }

        return bad;
    }

    private static async Task<(long Rows, long Bad)> WriteTransactionsAsync(
        SyntheticCustomer[] customers, GeneratorSettings settings, string path, CancellationToken cancellationToken)
    {
        // The purchase process is simulated twice with the same seed: first to learn how long it takes to
        // produce the requested rows, then to write them with the timeline scaled to end on EndDate.
        var lastDay = Simulate(customers, settings, null, 0);
        var scale = lastDay <= 0 ? 1.0 : 730.0 / lastDay;
        await using var writer = CreateWriter(path);
        await writer.WriteRowAsync("transaction_id,line,customer_id,occurred_at,amount,currency,quantity,sku,product_name,category,channel,store_id".Split(','));
        var sink = new TransactionSink(writer, settings, cancellationToken);
        Simulate(customers, settings, sink, scale);
        await sink.FlushAsync();
        return (sink.Rows, sink.Bad);
    }

    /// <summary>Runs the purchase process in time order until the requested number of rows; returns the last day used.</summary>
    private static double Simulate(SyntheticCustomer[] customers, GeneratorSettings settings, TransactionSink? sink, double scale)
    {
        var random = new Random(settings.Seed + 3);
        var queue = new PriorityQueue<int, double>(customers.Length);
        for (var i = 0; i < customers.Length; i++) queue.Enqueue(i, customers[i].AcquiredDay);
        long rows = 0;
        long orders = 0;
        var day = 0.0;
        while (rows < settings.Transactions && queue.TryDequeue(out var index, out day))
        {
            var customer = customers[index];
            var lines = random.NextDouble() switch { < 0.7 => 1, < 0.9 => 2, _ => 3 };
            var refund = random.NextDouble() < 0.02;
            orders++;
            var minuteOfOpeningHours = random.Next(0, 14 * 60);
            for (var line = 1; line <= lines && rows < settings.Transactions; line++, rows++)
            {
                var item = Catalog[random.Next(Catalog.Length)];
                var quantity = 1 + (random.NextDouble() < 0.2 ? 1 : 0);
                sink?.Add(customer, orders, lines > 1 ? line : null, day * scale, minuteOfOpeningHours, item, quantity, refund, random);
            }

            if (random.NextDouble() >= customer.Dropout)
            {
                queue.Enqueue(index, day + Exponential.Sample(random, customer.PurchaseRate));
            }
        }

        return day;
    }

    private static readonly OffsetDateTimePattern TimestampPattern =
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'sso<Z+HH:mm>");

    private static CsvTableWriter CreateWriter(string path) =>
        new(new StreamWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16), new UTF8Encoding(false), 1 << 16), newLine: "\n");

    private static string Slug(string name)
    {
        var ascii = new string(name.Normalize(NormalizationForm.FormD).Where(char.IsAsciiLetter).ToArray()).ToLowerInvariant();
        return ascii.Length == 0 ? "customer" : ascii;
    }

    private sealed record Market(string BogusLocale, string Locale, string TimeZone, string Country, string Currency, double Latitude, double Longitude)
    {
        public DateTimeZone Zone { get; } = DateTimeZoneProviders.Tzdb[TimeZone];
    }

    private sealed record SyntheticCustomer(
        string Id, Market Market, string FirstName, string LastName, string City, LocalDate BirthDate,
        double Latitude, double Longitude, double PurchaseRate, double Dropout, int AcquiredDay, string Tier);

    /// <summary>Formats transaction rows; the simulation is synchronous, and the writer buffers them.</summary>
    private sealed class TransactionSink(CsvTableWriter writer, GeneratorSettings settings, CancellationToken cancellationToken)
    {
        private readonly LocalDate _start = settings.EndDate.PlusDays(-731);
        private readonly Random _random = new(settings.Seed + 4);

        public long Rows { get; private set; }
        public long Bad { get; private set; }

        public void Add(SyntheticCustomer customer, long order, int? line, double day, int minuteOfOpeningHours, (string Category, string Product, decimal Price) item,
            int quantity, bool refund, Random random)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Shops are open 08:00-22:00 local time.
            var local = _start.PlusDays((int)Math.Floor(day)).At(new LocalTime(8, 0)).PlusMinutes(minuteOfOpeningHours);
            var occurred = customer.Market.Zone.AtLeniently(local).ToOffsetDateTime();
            var amount = item.Price * quantity * (customer.Market.Currency switch { "RUB" => 95m, "JPY" => 150m, "CNY" => 7m, _ => 1m });
            var fields = new[]
            {
                (refund ? "R" : "T") + order.ToString("D9", CultureInfo.InvariantCulture),
                line?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                customer.Id,
                TimestampPattern.Format(occurred),
                (refund ? -amount : amount).ToString("F2", CultureInfo.InvariantCulture),
                customer.Market.Currency,
                (refund ? -quantity : quantity).ToString(CultureInfo.InvariantCulture),
                "SKU-" + (Array.IndexOf(Catalog, item) + 100).ToString(CultureInfo.InvariantCulture),
                item.Product, item.Category,
                random.NextDouble() < 0.6 ? "web" : "store",
                "S" + (1 + int.Parse(customer.Id.AsSpan(1), CultureInfo.InvariantCulture) % 16).ToString(CultureInfo.InvariantCulture),
            };
            if (_random.NextDouble() < settings.BadRowRate)
            {
                Bad++;
                switch (_random.Next(4))
                {
                    case 0: fields[4] = "twelve euros"; break;
                    case 1: fields[3] = "yesterday"; break;
                    case 2: fields[2] = string.Empty; break;
                    default: fields[5] = "XYZ"; break;
                }
            }

            writer.WriteRow(fields);
            Rows++;
        }

        public Task FlushAsync() => writer.FlushAsync();
    }
}
