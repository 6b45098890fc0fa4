using System.Security.Cryptography;
using System.Text;
using Automation.Messages;
using Automation.Profiles.Identifiers;

namespace Automation.Planning.Policies;

/// <summary>
/// The message id is a hash of (customer, trigger, occasion): the same occasion always yields the same
/// id, so no plan, however often or concurrently run, makes a second message.
/// </summary>
public static class MessageIds
{
    public static MessageId For(CustomerId customer, TriggerName trigger, string occasionKey)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{customer.Value}\n{trigger.Value}\n{occasionKey}"), hash);
        return new MessageId("m" + Convert.ToHexStringLower(hash[..16]));
    }
}
