using Automation.Profiles.Identifiers;
using Automation.Planning;
using Automation.Planning.Context;
using Automation.Planning.Mailboxes;
using Automation.Messages;
using Automation.Planning.Policies;
using Automation.Profiles.Mailboxes;
using Automation.Profiles.Model;
using Automation.Profiles.Storage;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Automation.Planning.Days;

/// <summary>One customer on one day, as the planning pass would see them: for preview and explain (the command line and the console).</summary>
public sealed record CustomerDay(
    CustomerProfile Profile, IReadOnlyList<MessageRecord> Messages, DayContext Context, LocalDate Date, List<MessageDecision> Decisions, CustomerPlanner Planner,
    SameAddress? SameAddress)
{
    /// <returns>The day, or null when the store has no customer with the id.</returns>
    public static async Task<CustomerDay?> LoadAsync(IServiceProvider services, string customerId, LocalDate date, CancellationToken cancellationToken)
    {
        var profile = await services.GetRequiredService<ICustomerProfileStore>().GetAsync(customerId, cancellationToken);
        if (profile is null) return null;

        var messages = await services.GetRequiredService<IMessageLog>().GetCustomerMessagesAsync(new CustomerId(customerId), cancellationToken);
        var history = messages.Select(MessageHistoryEntry.Of).ToList();
        var planning = services.GetRequiredService<PlanningService>();
        var context = await planning.LoadContextAsync(date, cancellationToken);
        var planner = services.GetRequiredService<CustomerPlanner>();
        var now = services.GetRequiredService<IClock>().GetCurrentInstant();
        var sameAddress = MailboxKeys.Of(profile.Email) is { } key && await services.GetRequiredService<IMailboxes>().GetAsync(key, cancellationToken) is { IsShared: true } mailbox
            ? await planning.SameAddressAsync(mailbox, customerId, cancellationToken)
            : null;
        var decisions = planner.Plan(profile, history, context, date, now, sameAddress) ?? [];
        return new CustomerDay(profile, messages, context, date, decisions, planner, sameAddress);
    }
}
