using System.Security.Cryptography;
using System.Text;
using Automation.Profiles.Model;
using NodaTime;

namespace Automation.Profiles.Mailboxes;

/// <summary>
/// The mailbox an address reaches, as a mail provider keys its suppressions: the address trimmed and
/// compared case-insensitively. Stores keep the key, a hash, so no key or id shows an address.
/// </summary>
public static class MailboxKeys
{
    public static string? Of(string? email)
    {
        if (string.IsNullOrWhiteSpace(email)) return null;
        var normalized = email.Trim().ToLowerInvariant();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)), 0, 16);
    }
}

/// <summary>A refusal (or, for the unsubscribe group, a rejoin) made through one of the mailbox's customers.</summary>
/// <param name="CustomerId">The customer whose record it came through.</param>
public sealed record MailboxStatement(ConsentStatus Status, Instant At, string? Source, string CustomerId)
{
    public ConsentStatement AsConsent() => new(Status, At, Source);
}

/// <summary>
/// One mailbox: the customers whose address reaches it, and what was said through any of them. An
/// opt-out, bounce or spam report through one record applies to every record at the address, as the
/// provider applies it to the address.
/// </summary>
/// <param name="Holders">The customers whose current address this is, in ordinal order.</param>
/// <param name="Refusal">The newest explicit opt-out, bounce or spam report through any holder.</param>
/// <param name="Group">The newest leave or rejoin of the provider's unsubscribe group through any holder.</param>
public sealed record Mailbox(string Key, IReadOnlyList<string> Holders, MailboxStatement? Refusal = null, MailboxStatement? Group = null)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsShared => Holders.Count > 1;

    /// <summary>Same holders and statements: a write would change nothing.</summary>
    public bool SameAs(Mailbox other) => Holders.SequenceEqual(other.Holders) && Refusal == other.Refusal && Group == other.Group;

    /// <summary>The holders other than <paramref name="customerId"/>.</summary>
    public IReadOnlyList<string> OthersThan(string customerId) => Holders.Where(h => h != customerId).ToList();
}

/// <summary>A customer whose address another customer already has: ingestion warns about it.</summary>
/// <param name="Source">The export line that gave the customer the address.</param>
public sealed record SharedAddress(Changes.LineSource Source, string CustomerId, IReadOnlyList<string> Others);
