using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Automation.Profiles.Model;
using NodaTime;

namespace Automation.Profiles.Serialization;

/// <summary>
/// A compact binary form of the profile for caches, never the document of record: about 250 bytes
/// where the object graph takes 2 KB, encoded or decoded in a microsecond or two. A write session
/// caches every customer it touches between commits, so this is what bounds its memory; the embedded
/// store also keeps it beside each JSON document, so reading every profile (the daily plan) skips
/// JSON parsing. A cached form of another format version is ignored and the JSON read instead.
/// </summary>
public static class ProfileBinary
{
    /// <summary>
    /// Raised with every change of layout, never reused: 4 wrote each receipt's currency as text, 5 by
    /// its spend's index. A store holding format 4 is read from its JSON until its profiles are written again.
    /// </summary>
    private const byte FormatVersion = 5;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    public static byte[] Encode(CustomerProfile profile) => EncodeToBuffer(profile).ToArray();

    /// <summary>
    /// Encodes into <paramref name="target"/> when it is large enough, else into a new array with room
    /// to grow: a cache that re-encodes a profile on every touch then rarely allocates, and its arrays,
    /// which live long, do not turn into old garbage.
    /// </summary>
    public static int EncodeInto(CustomerProfile profile, ref byte[] target)
    {
        var encoded = EncodeToBuffer(profile);
        // Room for a few more receipts: a customer's profile grows by one with most purchase lines, and a new array each time is what costs.
        if (encoded.Length > target.Length) target = new byte[(encoded.Length + encoded.Length / 4 + 63) & ~63];
        encoded.CopyTo(target);
        return encoded.Length;
    }

    public static CustomerProfile Decode(byte[] bytes) => Decode(bytes, bytes.Length);

    public static CustomerProfile Decode(byte[] bytes, int length) => Decode(bytes.AsSpan(0, length));

    /// <summary>Whether <paramref name="bytes"/> are in the format this version reads.</summary>
    public static bool IsCurrentFormat(ReadOnlySpan<byte> bytes) => bytes.Length > 0 && bytes[0] == FormatVersion;

    public static CustomerProfile Decode(ReadOnlySpan<byte> bytes)
    {
        var reader = new Reader(bytes);
        if (reader.Byte() != FormatVersion) throw new InvalidDataException("Not a profile in the cache's binary form.");
        var profile = new CustomerProfile(reader.String())
        {
            Email = reader.OptionalString(),
            FirstName = reader.OptionalString(),
            LastName = reader.OptionalString(),
            Locale = reader.OptionalString(),
            TimeZone = reader.OptionalString(),
            City = reader.OptionalString(),
            PostalCode = reader.OptionalString(),
            Country = reader.OptionalString(),
        };
        profile.BirthDate = reader.Bool() ? reader.Date() : null;
        profile.Coordinates = reader.Bool() ? new GeoPoint(reader.Double(), reader.Double()) : null;

        var count = reader.Int32();
        for (var i = 0; i < count; i++) profile.CustomAttributes.Add(reader.String(), reader.String());
        count = reader.Int32();
        for (var i = 0; i < count; i++) profile.FieldUpdatedAt.Add(reader.String(), reader.Instant());
        count = reader.Int32();
        for (var i = 0; i < count; i++)
        {
            var channel = reader.String();
            profile.Consents.Add(channel, new ChannelConsent
            {
                Explicit = reader.Bool() ? reader.Statement() : null,
                FromExport = reader.Bool() ? reader.Statement() : null,
                Group = reader.Bool() ? reader.Statement() : null,
            });
        }

        var purchases = profile.Purchases;
        purchases.FirstPurchaseAt = reader.Bool() ? reader.Instant() : null;
        purchases.LastPurchaseAt = reader.Bool() ? reader.Instant() : null;
        purchases.OrderCount = reader.Int32();
        count = reader.Int32();
        // One more than held: a write session decodes a profile to add a line and encodes it again, and an
        // exact capacity would double the list for that one line (a gigabyte per million rows ingested).
        purchases.PurchaseDays = new List<LocalDate>(count + 1);
        for (var i = 0; i < count; i++) purchases.PurchaseDays.Add(reader.Date());
        count = reader.Int32();
        for (var i = 0; i < count; i++)
        {
            var currency = reader.String();
            purchases.SpendByCurrency.Add(currency, new CurrencySpend
            {
                Orders = reader.Int32(),
                Gross = reader.Decimal(),
                RefundCount = reader.Int32(),
                Refunded = reader.Decimal(),
                FirstDayGross = reader.Bool() ? reader.Decimal() : null,
            });
        }

        // A receipt's currency is one of the spend's: its index there, so decoding allocates no string.
        count = reader.Int32();
        purchases.Receipts = new List<Receipt>(count + 1);
        for (var i = 0; i < count; i++) purchases.Receipts.Add(new Receipt(reader.Instant(), purchases.SpendByCurrency.Keys[reader.Int32()], reader.Decimal()));

        count = reader.Int32();
        purchases.Categories.Capacity = count;
        for (var i = 0; i < count; i++)
        {
            var name = reader.String();
            var category = new CategoryActivity { Orders = reader.Int32() };
            var currencies = reader.Int32();
            for (var c = 0; c < currencies; c++) category.NetSpendByCurrency[reader.String()] = reader.Decimal();
            purchases.Categories.Add(name, category);
        }

        return profile;
    }

    private static ReadOnlySpan<byte> EncodeToBuffer(CustomerProfile profile)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = new Writer(buffer);
        writer.Byte(FormatVersion);
        writer.String(profile.CustomerId);
        writer.OptionalString(profile.Email);
        writer.OptionalString(profile.FirstName);
        writer.OptionalString(profile.LastName);
        writer.OptionalString(profile.Locale);
        writer.OptionalString(profile.TimeZone);
        writer.OptionalString(profile.City);
        writer.OptionalString(profile.PostalCode);
        writer.OptionalString(profile.Country);
        writer.Bool(profile.BirthDate.HasValue);
        if (profile.BirthDate is { } birthDate) writer.Date(birthDate);
        writer.Bool(profile.Coordinates.HasValue);
        if (profile.Coordinates is { } point)
        {
            writer.Double(point.Latitude);
            writer.Double(point.Longitude);
        }

        // Maps by index: SortedList's enumerator is an object, and this runs for every profile touched.
        var attributes = profile.CustomAttributes;
        writer.Int32(attributes.Count);
        for (var i = 0; i < attributes.Count; i++)
        {
            writer.String(attributes.Keys[i]);
            writer.String(attributes.Values[i]);
        }

        var updated = profile.FieldUpdatedAt;
        writer.Int32(updated.Count);
        for (var i = 0; i < updated.Count; i++)
        {
            writer.String(updated.Keys[i]);
            writer.Instant(updated.Values[i]);
        }

        var consents = profile.Consents;
        writer.Int32(consents.Count);
        for (var i = 0; i < consents.Count; i++)
        {
            writer.String(consents.Keys[i]);
            writer.OptionalStatement(consents.Values[i].Explicit);
            writer.OptionalStatement(consents.Values[i].FromExport);
            writer.OptionalStatement(consents.Values[i].Group);
        }

        var purchases = profile.Purchases;
        writer.Bool(purchases.FirstPurchaseAt.HasValue);
        if (purchases.FirstPurchaseAt is { } first) writer.Instant(first);
        writer.Bool(purchases.LastPurchaseAt.HasValue);
        if (purchases.LastPurchaseAt is { } last) writer.Instant(last);
        writer.Int32(purchases.OrderCount);
        writer.Int32(purchases.PurchaseDays.Count);
        foreach (var day in purchases.PurchaseDays) writer.Date(day);

        var spend = purchases.SpendByCurrency;
        writer.Int32(spend.Count);
        for (var i = 0; i < spend.Count; i++)
        {
            var s = spend.Values[i];
            writer.String(spend.Keys[i]);
            writer.Int32(s.Orders);
            writer.Decimal(s.Gross);
            writer.Int32(s.RefundCount);
            writer.Decimal(s.Refunded);
            writer.Bool(s.FirstDayGross.HasValue);
            if (s.FirstDayGross is { } firstDay) writer.Decimal(firstDay);
        }

        writer.Int32(purchases.Receipts.Count);
        foreach (var receipt in purchases.Receipts)
        {
            writer.Instant(receipt.At);
            writer.Int32(spend.IndexOfKey(receipt.Currency));
            writer.Decimal(receipt.Gross);
        }

        var categories = purchases.Categories;
        writer.Int32(categories.Count);
        for (var i = 0; i < categories.Count; i++)
        {
            var category = categories.Values[i];
            writer.String(categories.Keys[i]);
            writer.Int32(category.Orders);
            writer.Int32(category.NetSpendByCurrency.Count);
            foreach (var (currency, amount) in category.NetSpendByCurrency)
            {
                writer.String(currency);
                writer.Decimal(amount);
            }
        }

        return buffer.WrittenSpan;
    }

    private readonly ref struct Writer(ArrayBufferWriter<byte> buffer)
    {
        public void Byte(byte value)
        {
            buffer.GetSpan(1)[0] = value;
            buffer.Advance(1);
        }

        public void Bool(bool value) => Byte(value ? (byte)1 : (byte)0);

        public void Int32(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(4), value);
            buffer.Advance(4);
        }

        public void Int64(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(buffer.GetSpan(8), value);
            buffer.Advance(8);
        }

        public void Double(double value)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(buffer.GetSpan(8), value);
            buffer.Advance(8);
        }

        public void Decimal(decimal value)
        {
            Span<int> bits = stackalloc int[4];
            decimal.GetBits(value, bits);
            foreach (var part in bits) Int32(part);
        }

        public void Date(LocalDate date) => Int32(date.ToDateOnly().DayNumber);

        public void Instant(Instant instant) => Int64(instant.ToUnixTimeTicks());

        public void String(string value)
        {
            var length = Encoding.UTF8.GetByteCount(value);
            Int32(length);
            Encoding.UTF8.GetBytes(value, buffer.GetSpan(length));
            buffer.Advance(length);
        }

        public void OptionalString(string? value)
        {
            Bool(value is not null);
            if (value is not null) String(value);
        }

        public void OptionalStatement(ConsentStatement? statement)
        {
            Bool(statement is not null);
            if (statement is null) return;
            Byte((byte)statement.Status);
            Instant(statement.At);
            OptionalString(statement.Source);
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private ReadOnlySpan<byte> _rest = bytes;

        public byte Byte()
        {
            var value = _rest[0];
            _rest = _rest[1..];
            return value;
        }

        public bool Bool() => Byte() != 0;

        public int Int32()
        {
            var value = BinaryPrimitives.ReadInt32LittleEndian(_rest);
            _rest = _rest[4..];
            return value;
        }

        public long Int64()
        {
            var value = BinaryPrimitives.ReadInt64LittleEndian(_rest);
            _rest = _rest[8..];
            return value;
        }

        public double Double()
        {
            var value = BinaryPrimitives.ReadDoubleLittleEndian(_rest);
            _rest = _rest[8..];
            return value;
        }

        public decimal Decimal()
        {
            Span<int> bits = [Int32(), Int32(), Int32(), Int32()];
            return new decimal(bits);
        }

        public LocalDate Date() => LocalDate.FromDateOnly(DateOnly.FromDayNumber(Int32()));

        public Instant Instant() => NodaTime.Instant.FromUnixTimeTicks(Int64());

        public string String()
        {
            var length = Int32();
            var value = Encoding.UTF8.GetString(_rest[..length]);
            _rest = _rest[length..];
            return value;
        }

        public string? OptionalString() => Bool() ? String() : null;

        public ConsentStatement Statement() => new((ConsentStatus)Byte(), Instant(), OptionalString());
    }
}
