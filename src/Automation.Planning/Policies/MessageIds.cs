using System.Security.Cryptography;
using System.Text;

namespace Automation.Planning.Policies;

/// <summary>
/// Deterministic identities. The message id is a hash of (customer, trigger, occasion): the same
/// occasion always yields the same id, so no plan, however often or concurrently run, makes a second
/// message. The holdout draw hashes (salt, trigger, customer): stable across days, independent per trigger.
/// </summary>
public static class MessageIds
{
    public static string For(string customerId, string trigger, string occasionKey)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{customerId}\n{trigger}\n{occasionKey}"), hash);
        return "m" + Convert.ToHexStringLower(hash[..16]);
    }

    /// <summary>Uniform in [0, 1): the customer's fixed position in the trigger's holdout draw.</summary>
    public static double HoldoutDraw(string salt, string trigger, string customerId)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{salt}\n{trigger}\n{customerId}"), hash);
        return (System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) * (1.0 / (1UL << 53));
    }

    public static bool IsHeldOut(string salt, string trigger, string customerId, double percent) =>
        percent > 0 && HoldoutDraw(salt, trigger, customerId) * 100 < percent;
}
