using System.Collections.Frozen;

namespace Automation.Ingestion.Formats;

public enum ExportKind
{
    Customers,
    Transactions,
    Consents,
    /// <summary>Customers to erase (GDPR Art. 17): one <c>customer_id</c> per row.</summary>
    Erasures,
}

/// <summary>
/// The columns of one kind of export and the header spellings accepted for each. Headers are matched
/// after <see cref="Normalize"/>: case, spaces, underscores and hyphens do not matter.
/// </summary>
public sealed class ExportSchema
{
    private readonly FrozenDictionary<string, int> _columnByAlias;
    private readonly FrozenDictionary<string, int> _columnByCanonicalName;

    private ExportSchema(ExportKind kind, (string Name, bool Required, string[] Aliases)[] columns)
    {
        Kind = kind;
        Columns = columns.Select(c => c.Name).ToArray();
        Required = columns.Where(c => c.Required).Select(c => c.Name).ToArray();
        var aliases = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < columns.Length; i++)
        {
            aliases[Normalize(columns[i].Name)] = i;
            foreach (var alias in columns[i].Aliases) aliases[Normalize(alias)] = i;
        }

        _columnByAlias = aliases.ToFrozenDictionary(StringComparer.Ordinal);
        _columnByCanonicalName = columns.Select((c, i) => (c.Name, i)).ToFrozenDictionary(c => c.Name, c => c.i, StringComparer.Ordinal);
    }

    public ExportKind Kind { get; }

    /// <summary>Canonical column names, in the order of their index.</summary>
    public IReadOnlyList<string> Columns { get; }

    public IReadOnlyList<string> Required { get; }

    /// <summary>The accepted spellings per canonical column, for the documentation.</summary>
    public IEnumerable<(string Column, IEnumerable<string> Aliases)> AliasTable =>
        Columns.Select((name, index) => (name, (IEnumerable<string>)_columnByAlias
            .Where(a => a.Value == index && a.Key != Normalize(name)).Select(a => a.Key).Order()));

    /// <summary>The canonical column index for a header, or -1 when it is not a standard column.</summary>
    public int Resolve(string header) => _columnByAlias.TryGetValue(Normalize(header), out var index) ? index : -1;

    /// <summary>The index of a canonical column name (validators ask for every field of every row).</summary>
    public int IndexOf(string column) => _columnByCanonicalName.TryGetValue(column, out var i)
        ? i
        : throw new ArgumentException($"{Kind} has no column {column}.", nameof(column));

    public static string Normalize(string header)
    {
        Span<char> buffer = stackalloc char[Math.Min(header.Length, 256)];
        var length = 0;
        foreach (var c in header.AsSpan(0, buffer.Length))
        {
            if (char.IsLetterOrDigit(c)) buffer[length++] = char.ToLowerInvariant(c);
        }

        return new string(buffer[..length]);
    }

    public static ExportSchema For(ExportKind kind) => kind switch
    {
        ExportKind.Customers => Customers,
        ExportKind.Transactions => Transactions,
        ExportKind.Consents => Consents,
        ExportKind.Erasures => Erasures,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>
    /// The kind of an export: from its file name prefix, else from its column names (CSV headers or
    /// the keys of the first JSON line).
    /// </summary>
    public static ExportKind Recognise(string fileName, IEnumerable<string> columnNames) =>
        DetectKind(fileName) ?? DetectKind(columnNames)
        ?? throw new ExportFormatException(
            "Cannot tell what kind of export this is: name the file customers*, transactions*, consents* or erasures*, " +
            "or use the documented column names.");

    /// <summary>Recognises a kind from column names alone (used when the file name does not say).</summary>
    private static ExportKind? DetectKind(IEnumerable<string> headers)
    {
        var present = headers.Select(Normalize).ToHashSet(StringComparer.Ordinal);
        bool Has(ExportSchema schema, string column) =>
            present.Any(h => schema.Resolve(h) == schema.IndexOf(column));

        if (Has(Transactions, "transaction_id") && Has(Transactions, "amount")) return ExportKind.Transactions;
        if (Has(Consents, "status") && Has(Consents, "channel")) return ExportKind.Consents;
        if (Has(Customers, "customer_id") && (Has(Customers, "email") || Has(Customers, "first_name") || Has(Customers, "birth_date")))
        {
            return ExportKind.Customers;
        }

        return null;
    }

    /// <summary>
    /// Recognises a kind from the file name prefix (<c>customers*</c>, <c>transactions*</c>, <c>consents*</c>,
    /// <c>erasures*</c>). An erasures export is only ever recognised by its name: its one column would
    /// otherwise pass for a customers export.
    /// </summary>
    private static ExportKind? DetectKind(string fileName)
    {
        var name = Path.GetFileName(fileName);
        if (name.StartsWith("customers", StringComparison.OrdinalIgnoreCase)) return ExportKind.Customers;
        if (name.StartsWith("transactions", StringComparison.OrdinalIgnoreCase)) return ExportKind.Transactions;
        if (name.StartsWith("consents", StringComparison.OrdinalIgnoreCase)) return ExportKind.Consents;
        if (name.StartsWith("erasures", StringComparison.OrdinalIgnoreCase)) return ExportKind.Erasures;
        return null;
    }

    private static readonly string[] CustomerIdAliases = ["customerid", "customer", "custid", "clientid", "customer_no", "customernumber"];

    public static readonly ExportSchema Customers = new(ExportKind.Customers,
    [
        ("customer_id", true, [.. CustomerIdAliases, "id"]),
        ("email", false, ["email_address", "e-mail", "mail"]),
        ("first_name", false, ["firstname", "given_name", "forename"]),
        ("last_name", false, ["lastname", "surname", "family_name"]),
        ("birth_date", false, ["birthdate", "date_of_birth", "dob", "birthday"]),
        ("locale", false, ["language", "lang"]),
        ("time_zone", false, ["timezone", "tz", "iana_time_zone"]),
        ("city", false, ["town"]),
        ("postal_code", false, ["postcode", "zip", "zip_code"]),
        ("country", false, ["country_code"]),
        ("latitude", false, ["lat"]),
        ("longitude", false, ["lon", "lng", "long"]),
        ("email_opt_in", false, ["email_consent", "marketing_opt_in", "opt_in"]),
        ("health_personalization_opt_in", false, ["health_personalisation_opt_in", "health_opt_in"]),
        ("updated_at", false, ["last_updated", "modified_at", "updated"]),
    ]);

    public static readonly ExportSchema Transactions = new(ExportKind.Transactions,
    [
        ("transaction_id", true, ["transaction", "order_id", "tx_id", "txn_id"]),
        ("line", false, ["line_number", "line_no", "line_item"]),
        ("customer_id", true, CustomerIdAliases),
        ("occurred_at", true, ["timestamp", "purchased_at", "ordered_at", "transaction_time"]),
        ("amount", true, ["line_amount", "total", "revenue"]),
        ("currency", true, ["currency_code"]),
        ("quantity", false, ["qty", "units"]),
        ("sku", false, ["product_id", "item_id"]),
        ("product_name", false, ["product", "item_name"]),
        ("category", false, ["product_category"]),
        ("channel", false, ["sales_channel"]),
        ("store_id", false, ["store", "shop_id"]),
    ]);

    public static readonly ExportSchema Consents = new(ExportKind.Consents,
    [
        ("customer_id", true, CustomerIdAliases),
        ("email", false, ["email_address", "e-mail"]),
        ("channel", true, ["consent_channel"]),
        ("status", true, ["consent", "consent_status"]),
        ("occurred_at", true, ["timestamp", "changed_at", "consented_at"]),
        ("source", false, ["consent_source", "origin"]),
    ]);

    public static readonly ExportSchema Erasures = new(ExportKind.Erasures,
    [
        ("customer_id", true, CustomerIdAliases),
    ]);
}
