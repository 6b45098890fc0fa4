using Automation.Profiles.Identifiers;
using Automation.Planning;
using Automation.Messages;
using Automation.Profiles.Serialization;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Automation.Testing;

public static class StoreSnapshot
{
    /// <summary>What a store holds, as comparable text: every profile and every message with its status, in a fixed order.</summary>
    public static async Task<List<string>> TakeAsync(IServiceProvider services)
    {
        var feed = services.GetRequiredService<IPlanningFeed>();
        var log = services.GetRequiredService<IMessageLog>();
        var now = services.GetRequiredService<IClock>().GetCurrentInstant();
        var lines = new List<string>();
        foreach (var range in await feed.GetRangesAsync())
        {
            await foreach (var customer in feed.ReadRangeAsync(range, now))
            {
                lines.Add(ProfileJson.Serialize(customer.Profile));
                foreach (var message in await log.GetCustomerMessagesAsync(new CustomerId(customer.Profile.CustomerId)))
                {
                    lines.Add($"{message.CustomerId} {message.MessageId} {message.Trigger} {message.Status} {message.ReasonCode} {message.SendAt}");
                }
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }
}
