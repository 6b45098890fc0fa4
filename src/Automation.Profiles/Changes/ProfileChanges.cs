using Automation.Profiles.Model;
using NodaTime;

namespace Automation.Profiles.Changes;

/// <summary>Where a change came from: the export's content id and the line its record starts on.</summary>
public readonly record struct LineSource(string FileId, long Line);

/// <summary>A validated row of an export, ready to be merged into a customer's profile.</summary>
public abstract record ProfileChange(string CustomerId, LineSource Source);

/// <summary>
/// A customers-export row. Only the fields that had a value are set: an empty cell never erases what
/// the profile knows.
/// </summary>
public sealed record CustomerUpdate(string CustomerId, LineSource Source, Instant UpdatedAt) : ProfileChange(CustomerId, Source)
{
    public string? Email { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public LocalDate? BirthDate { get; init; }
    public string? Locale { get; init; }
    public string? TimeZone { get; init; }
    public string? City { get; init; }
    public string? PostalCode { get; init; }
    public string? Country { get; init; }
    public GeoPoint? Coordinates { get; init; }
    public bool? EmailOptIn { get; init; }
    public bool? HealthPersonalizationOptIn { get; init; }
    public IReadOnlyDictionary<string, string> CustomAttributes { get; init; } = new Dictionary<string, string>();
}

/// <summary>One line of an order. Identity is (transaction id, line); a negative amount is a refund.</summary>
public sealed record TransactionLine(
    string CustomerId,
    LineSource Source,
    string TransactionId,
    string? Line,
    OffsetDateTime OccurredAt,
    decimal Amount,
    string Currency) : ProfileChange(CustomerId, Source)
{
    public int? Quantity { get; init; }
    public string? Sku { get; init; }
    public string? ProductName { get; init; }
    public string? Category { get; init; }
    public string? Channel { get; init; }
    public string? StoreId { get; init; }

    public bool IsRefund => Amount < 0m;

    /// <summary>The identity that makes re-ingestion harmless.</summary>
    public string LineKey => Line is null ? TransactionId : TransactionId + "\u001F" + Line;
}

/// <summary>A consents-export row, or a provider's report of a bounce, complaint or unsubscribe.</summary>
public sealed record ConsentChange(
    string CustomerId,
    LineSource Source,
    string Channel,
    ConsentStatus Status,
    Instant OccurredAt) : ProfileChange(CustomerId, Source)
{
    public string? Email { get; init; }
    public string? ConsentSource { get; init; }

    /// <summary>Which register it goes to: an explicit statement, unless it is the provider's unsubscribe group.</summary>
    public ConsentOrigin Origin { get; init; } = ConsentOrigin.ConsentEvent;
}

/// <summary>
/// What the store knows about a transaction line before it is applied; the merge needs it because the
/// profile itself does not keep every transaction.
/// </summary>
public readonly record struct TransactionNovelty(bool IsNewOrder, bool IsNewCategoryInOrder);
