using Automation.Profiles.Changes;
using Automation.Profiles.Merging;
using Automation.Profiles.Model;

namespace Automation.Profiles.Mailboxes;

/// <summary>What one customer's merge means for the mailboxes: the one left, the one joined, and what was said through the customer.</summary>
/// <param name="JoinedBy">The change that gave the customer the joined address, when this merge did.</param>
/// <param name="Statements">Refusals and unsubscribe-group statements about email, which apply to the whole mailbox.</param>
public sealed record MailboxMove(string CustomerId, string? Left, string? Joined, LineSource? JoinedBy, IReadOnlyList<ConsentChange> Statements)
{
    /// <summary>The export line (or report) the move came from, given to what it passes on to the other holders.</summary>
    public LineSource Source => Statements.Count > 0 ? Statements[^1].Source : JoinedBy ?? new LineSource(string.Empty, 0);
}

/// <summary>
/// Pure rules that keep every customer at one address under the address's refusals; each backend runs
/// them inside its own write of the profiles (docs/data-model.md, "Mailboxes").
/// </summary>
public static class MailboxRules
{
    /// <summary>
    /// What merging <paramref name="changes"/> into a customer whose address was <paramref name="emailBefore"/>
    /// does to mailboxes, the customer being <paramref name="after"/> now; <c>null</c> when nothing.
    /// </summary>
    public static MailboxMove? Move(string? emailBefore, CustomerProfile after, IEnumerable<ProfileChange> changes)
    {
        var customerId = after.CustomerId;
        var left = MailboxKeys.Of(emailBefore);
        var joined = MailboxKeys.Of(after.Email);
        List<ConsentChange>? statements = null;
        LineSource? joinedBy = null;
        foreach (var change in changes)
        {
            var email = change switch
            {
                CustomerUpdate update => update.Email,
                ConsentChange consent => consent.Email,
                _ => null,
            };
            if (left != joined && email is not null && MailboxKeys.Of(email) == joined) joinedBy = change.Source;
            if (change is ConsentChange { Channel: ConsentChannels.Email } statement && AppliesToMailbox(statement)) (statements ??= []).Add(statement);
        }

        if (left == joined && statements is null) return null;
        if (joined is not null && left != joined && CarriedRefusal(after, joinedBy) is { } carried) (statements ??= []).Add(carried);
        return new MailboxMove(customerId, left, joined, joinedBy, statements ?? []);
    }

    /// <summary>
    /// A customer who opted out, or reported spam, before getting this address brings it along: it was
    /// the person's refusal. A bounce was the old address's, and the unsubscribe group is the provider's
    /// per address: those stay behind.
    /// </summary>
    private static ConsentChange? CarriedRefusal(CustomerProfile customer, LineSource? joinedBy) =>
        customer.Consents.TryGetValue(ConsentChannels.Email, out var consent) && consent.Explicit is { Status: ConsentStatus.OptOut or ConsentStatus.SpamReport } refusal
            ? new ConsentChange(customer.CustomerId, joinedBy ?? new LineSource(string.Empty, 0), ConsentChannels.Email, refusal.Status, refusal.At) { ConsentSource = refusal.Source }
            : null;

    /// <summary>
    /// An explicit refusal, or the provider's unsubscribe group either way (the provider keeps its group
    /// per address). An export's opt-in flag is a copy of one record's state and stays with that record.
    /// </summary>
    private static bool AppliesToMailbox(ConsentChange change) => change.Origin switch
    {
        ConsentOrigin.ConsentEvent => change.Status.Withholds(),
        ConsentOrigin.UnsubscribeGroup => true,
        _ => false,
    };

    public static Mailbox Join(Mailbox mailbox, string customerId) => mailbox.Holders.Contains(customerId)
        ? mailbox
        : mailbox with { Holders = mailbox.Holders.Append(customerId).Order(StringComparer.Ordinal).ToList() };

    public static Mailbox Leave(Mailbox mailbox, string customerId) => mailbox.Holders.Contains(customerId)
        ? mailbox with { Holders = mailbox.Holders.Where(h => h != customerId).ToList() }
        : mailbox;

    /// <summary>
    /// The mailbox after its holder <paramref name="customerId"/> was erased: the customer leaves, and what
    /// was said through them stays, under the tombstone. An opt-out, bounce or spam report is the
    /// address's, and keeps protecting it: a suppression list outlives the customer (docs/privacy.md).
    /// </summary>
    public static Mailbox Forget(Mailbox mailbox, string customerId, Erasure.Tombstone tombstone)
    {
        MailboxStatement? Forgotten(MailboxStatement? statement) =>
            statement is not null && statement.CustomerId == customerId ? statement with { CustomerId = tombstone.Value } : statement;
        return Leave(mailbox, customerId) with { Refusal = Forgotten(mailbox.Refusal), Group = Forgotten(mailbox.Group) };
    }

    /// <summary>The mailbox with <paramref name="statement"/> kept if it is the newest of its kind (the profiles' own rule).</summary>
    public static Mailbox Record(Mailbox mailbox, ConsentChange statement)
    {
        var said = new MailboxStatement(statement.Status, statement.OccurredAt, statement.ConsentSource, statement.CustomerId);
        if (statement.Origin == ConsentOrigin.UnsubscribeGroup)
        {
            return ProfileMerger.Supersedes(said.AsConsent(), mailbox.Group?.AsConsent()) ? mailbox with { Group = said } : mailbox;
        }

        return ProfileMerger.Supersedes(said.AsConsent(), mailbox.Refusal?.AsConsent()) ? mailbox with { Refusal = said } : mailbox;
    }

    /// <summary>The mailbox after <paramref name="move"/>, for the mailbox it joined (or stays in).</summary>
    public static Mailbox Apply(Mailbox mailbox, MailboxMove move) =>
        move.Statements.Aggregate(Join(mailbox, move.CustomerId), Record);

    /// <summary>
    /// The consent changes that bring <paramref name="holder"/> under what was said through the other
    /// records of the mailbox; empty when the holder's own registers are as new or newer. A holder's own
    /// newer opt-in stands: it lifts a refusal for that record, as on any profile.
    /// </summary>
    public static IReadOnlyList<ConsentChange> Owed(Mailbox mailbox, CustomerProfile holder, LineSource source)
    {
        List<ConsentChange>? owed = null;
        holder.Consents.TryGetValue(ConsentChannels.Email, out var consent);
        foreach (var (statement, origin, register) in new[]
                 {
                     (mailbox.Refusal, ConsentOrigin.ConsentEvent, consent?.Explicit),
                     (mailbox.Group, ConsentOrigin.UnsubscribeGroup, consent?.Group),
                 })
        {
            if (statement is null || statement.CustomerId == holder.CustomerId) continue;
            var derived = new ConsentChange(holder.CustomerId, source, ConsentChannels.Email, statement.Status, statement.At)
            {
                ConsentSource = Through(statement),
                Origin = origin,
            };
            // Owed only when newer than the holder's register both as said and as passed on: a holder that
            // said the same at the same instant itself, or already got it, is left alone.
            if (ProfileMerger.Supersedes(statement.AsConsent(), register)
                && ProfileMerger.Supersedes(new ConsentStatement(derived.Status, derived.OccurredAt, derived.ConsentSource), register))
            {
                (owed ??= []).Add(derived);
            }
        }

        return owed ?? (IReadOnlyList<ConsentChange>)[];
    }

    private static string Through(MailboxStatement statement) =>
        $"through customer {statement.CustomerId}, same address" + (statement.Source is { } source ? $": {source}" : "");
}
