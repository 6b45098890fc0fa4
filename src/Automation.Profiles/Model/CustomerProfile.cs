using System.Text.Json.Serialization;
using NodaTime;

namespace Automation.Profiles.Model;

/// <summary>
/// One document per customer holding everything triggers need. It is maintained incrementally by
/// <see cref="Merging.ProfileMerger"/>; it carries no wall-clock stamps of its own so that the same
/// input always yields the same document, whatever the order or number of runs.
/// </summary>
public sealed class CustomerProfile
{
    public CustomerProfile(string customerId) => CustomerId = customerId;

    public string CustomerId { get; }

    public string? Email { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public LocalDate? BirthDate { get; set; }
    /// <summary>BCP 47 language tag, normalised (e.g. <c>ru-RU</c>).</summary>
    public string? Locale { get; set; }
    /// <summary>IANA time zone id (e.g. <c>Europe/Rome</c>).</summary>
    public string? TimeZone { get; set; }
    public string? City { get; set; }
    public string? PostalCode { get; set; }
    /// <summary>ISO 3166-1 alpha-2, upper case.</summary>
    public string? Country { get; set; }
    public GeoPoint? Coordinates { get; set; }

    /// <summary>Columns of the customers export that are not part of the standard format.</summary>
    public OrdinalMap<string> CustomAttributes { get; set; } = new();

    /// <summary>
    /// When each field (standard name or <c>custom:&lt;name&gt;</c>) was last set, from the export's
    /// <c>updated_at</c>: a value only replaces another when it is at least as new.
    /// </summary>
    public OrdinalMap<Instant> FieldUpdatedAt { get; set; } = new();

    /// <summary>Consent per channel (<see cref="ConsentChannels"/>).</summary>
    public OrdinalMap<ChannelConsent> Consents { get; set; } = new();

    public PurchaseSummary Purchases { get; set; } = new();

    /// <summary>A profile is contactable by email once a plausible address is known.</summary>
    [JsonIgnore]
    public bool HasEmail => !string.IsNullOrEmpty(Email);
}

public readonly record struct GeoPoint(double Latitude, double Longitude);
