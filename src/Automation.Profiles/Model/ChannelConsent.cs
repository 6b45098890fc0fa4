using System.Text.Json.Serialization;
using NodaTime;

namespace Automation.Profiles.Model;

public static class ConsentChannels
{
    public const string Email = "email";
    public const string Sms = "sms";
    public const string Push = "push";
    /// <summary>Permission to personalise on health-adjacent purchases (e.g. allergy products).</summary>
    public const string HealthPersonalization = "health_personalization";

    /// <summary>The channels exports may state consent for.</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Email, Sms, Push, HealthPersonalization,
    };

    /// <summary>
    /// A trigger's messages as a topic the customer turns on or off on the preference page: an explicit
    /// opt-out stops that trigger only; no statement means on.
    /// </summary>
    public static string Topic(string trigger) => "topic:" + trigger;
}

[JsonConverter(typeof(JsonStringEnumConverter<ConsentStatus>))]
public enum ConsentStatus
{
    [JsonStringEnumMemberName("optIn")]
    OptIn,
    [JsonStringEnumMemberName("optOut")]
    OptOut,
    /// <summary>Mail to the address bounced: suppressed until a newer explicit opt-in (e.g. a corrected address).</summary>
    [JsonStringEnumMemberName("bounced")]
    Bounced,
    /// <summary>The customer reported a message as spam: suppressed until a newer explicit opt-in.</summary>
    [JsonStringEnumMemberName("spamReport")]
    SpamReport,
}

public static class ConsentStatusExtensions
{
    /// <summary>Every status but an opt-in withholds permission: an opt-out or a suppression.</summary>
    public static bool Withholds(this ConsentStatus status) => status != ConsentStatus.OptIn;
}

/// <summary>Where a consent statement came from; an export's flag can never lift an explicit opt-out.</summary>
public enum ConsentOrigin
{
    /// <summary>A row of a consents export: the customer said so through a consent channel.</summary>
    ConsentEvent,
    /// <summary>An opt-in column of a customers export: a copy of some other system's state.</summary>
    CustomerExport,
    /// <summary>
    /// The email provider's unsubscribe group: the customer left it (opt-out) or rejoined it (opt-in)
    /// through the provider's link or preference page. A rejoin lifts only a leave, never another opt-out.
    /// </summary>
    UnsubscribeGroup,
}

public sealed record ConsentStatement(ConsentStatus Status, Instant At, string? Source);

/// <summary>
/// Last-writer-wins registers per channel, one per <see cref="ConsentOrigin"/>. Keeping them apart
/// is what makes the outcome independent of the order files and reports arrive in while still letting
/// an explicit opt-out win over any export flag, and a provider's group rejoin lift only a group leave.
/// </summary>
public sealed class ChannelConsent
{
    public ConsentStatement? Explicit { get; set; }
    public ConsentStatement? FromExport { get; set; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ConsentStatement? Group { get; set; }

    /// <summary>The customer left the provider's unsubscribe group and has not rejoined it since.</summary>
    [JsonIgnore]
    public bool LeftGroup => Group is { } group && group.Status.Withholds();

    /// <summary>
    /// Opted in when the newest statement is an opt-in and no explicit opt-out, suppression or group
    /// leave stands. Ties between the export and explicit registers go to the opt-out.
    /// </summary>
    [JsonIgnore]
    public bool IsOptedIn
    {
        get
        {
            if ((Explicit is { } statement && statement.Status.Withholds()) || LeftGroup)
            {
                return false;
            }

            var newest = Newest(Explicit, FromExport);
            return newest is { Status: ConsentStatus.OptIn };
        }
    }

    private static ConsentStatement? Newest(ConsentStatement? a, ConsentStatement? b)
    {
        if (a is null) return b;
        if (b is null) return a;
        if (a.At != b.At) return a.At > b.At ? a : b;
        return a.Status.Withholds() ? a : b;
    }
}
