using System.Security.Cryptography;
using System.Text;
using Automation.Profiles.Identifiers;

namespace Automation.Profiles.Erasure;

/// <summary>
/// What an erased customer leaves behind: an HMAC-SHA256 of the id under the store's own salt. It lets
/// the store recognise the id when an old export brings it again, and no one can read the id back from
/// it: without the salt, guessing ids (which often run in sequence) and hashing them finds nothing.
/// The erased customer's messages, kept for their counts, carry it in place of the id.
/// </summary>
public readonly record struct Tombstone(string Value)
{
    /// <summary>No export's customer id has this form (ids are checked for it), so a tombstone never meets a live id.</summary>
    public const string Prefix = "erased:";

    public static Tombstone Of(CustomerId customerId, ReadOnlySpan<byte> salt) =>
        new(Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(customerId.Value))));

    /// <summary>A new store's salt.</summary>
    public static byte[] NewSalt() => RandomNumberGenerator.GetBytes(32);

    public override string ToString() => Value;
}
