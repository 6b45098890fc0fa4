using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Automation.Messages;
using Automation.Profiles.Identifiers;

namespace Automation.Planning.Policies;

/// <summary>
/// Policy 10: a deterministic draw on (salt, trigger, customer) puts <c>HoldoutPercent</c> % of customers in
/// the trigger's control group: their message is recorded, not sent. The draw is stable across days and
/// independent per trigger.
/// </summary>
public static class Holdout
{
    public const string Name = "holdout";

    /// <summary>Uniform in [0, 1): the customer's fixed position in the trigger's holdout draw.</summary>
    public static double Draw(string salt, TriggerName trigger, CustomerId customer)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{salt}\n{trigger.Value}\n{customer.Value}"), hash);
        return (System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) * (1.0 / (1UL << 53));
    }

    public static bool IsHeldOut(string salt, TriggerName trigger, CustomerId customer, double percent) =>
        percent > 0 && Draw(salt, trigger, customer) * 100 < percent;

    public static string Detail(string trigger, double percent) =>
        $"in the {percent.ToString(CultureInfo.InvariantCulture)}% holdout group of {trigger}; recorded, not sent";
}
