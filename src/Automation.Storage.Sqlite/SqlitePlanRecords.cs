using Automation.Planning.Days;
using NodaTime;
using NodaTime.Text;

namespace Automation.Storage.Sqlite;

/// <summary>The plans recorded per day and pass: a few rows a day, read by the console's Plan page.</summary>
public sealed class SqlitePlanRecords(SqliteDatabase database) : IPlanRecords
{
    public async Task SaveAsync(LocalDate day, string pass, PlanRecord record, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO plan_records (day, pass, record) VALUES ($day, $pass, $record) ON CONFLICT (day, pass) DO UPDATE SET record = excluded.record";
        command.Parameters.AddWithValue("$day", LocalDatePattern.Iso.Format(day));
        command.Parameters.AddWithValue("$pass", pass);
        command.Parameters.AddWithValue("$record", PlanRecordJson.Serialize(record));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<PlanRecord?> ReadAsync(LocalDate day, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT record FROM plan_records WHERE day = $day ORDER BY pass";
        command.Parameters.AddWithValue("$day", LocalDatePattern.Iso.Format(day));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        PlanRecord? total = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            total ??= new PlanRecord();
            total.Add(PlanRecordJson.Deserialize(reader.GetString(0)));
        }

        return total;
    }
}
