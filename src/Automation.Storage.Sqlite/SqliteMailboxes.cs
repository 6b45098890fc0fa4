using System.Runtime.CompilerServices;
using Automation.Planning.Mailboxes;
using Automation.Profiles.Mailboxes;
using Automation.Profiles.Serialization;
using NodaTime;
using NodaTime.Text;

namespace Automation.Storage.Sqlite;

/// <summary>The mailboxes the profile writer keeps, as the plan reads them, and the day claims.</summary>
public sealed class SqliteMailboxes(SqliteDatabase database) : IMailboxes
{
    // A claim matters while its day can still be planned or delivered; the week Cosmos DB keeps them is ample.
    private const int ClaimDays = 7;
    private LocalDate _prunedBefore = LocalDate.MinIsoValue;

    public async IAsyncEnumerable<Mailbox> ReadSharedAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT document FROM mailboxes WHERE holders > 1";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) yield return ProfileJson.DeserializeMailbox(reader.GetString(0));
    }

    public async Task<Mailbox?> GetAsync(string mailboxKey, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT document FROM mailboxes WHERE mailbox_key = $key";
        command.Parameters.AddWithValue("$key", mailboxKey);
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? ProfileJson.DeserializeMailbox(json) : null;
    }

    public async Task<MailboxDayClaim> ClaimDayAsync(string mailboxKey, LocalDate day, MailboxDayClaim claim, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        // Once per day seen, the claims of days long gone go: the table stays a week of messages.
        var prune = day.PlusDays(-ClaimDays) > _prunedBefore;
        command.CommandText = (prune ? "DELETE FROM mailbox_days WHERE day < $before; " : "") +
            "INSERT INTO mailbox_days (mailbox_key, day, message_id, customer_id) VALUES ($key, $day, $message, $customer) ON CONFLICT DO NOTHING; " +
            "SELECT message_id, customer_id FROM mailbox_days WHERE mailbox_key = $key AND day = $day;";
        command.Parameters.AddWithValue("$before", LocalDatePattern.Iso.Format(day.PlusDays(-ClaimDays)));
        if (prune) _prunedBefore = day.PlusDays(-ClaimDays);
        command.Parameters.AddWithValue("$key", mailboxKey);
        command.Parameters.AddWithValue("$day", LocalDatePattern.Iso.Format(day));
        command.Parameters.AddWithValue("$message", claim.MessageId);
        command.Parameters.AddWithValue("$customer", claim.CustomerId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new MailboxDayClaim(reader.GetString(0), reader.GetString(1));
    }
}
