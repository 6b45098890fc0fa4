using Automation.Planning.Days;
using NodaTime;
using NodaTime.Text;

namespace Automation.Storage.Sqlite;

public sealed class SqlitePlannedDays(SqliteDatabase database) : IPlannedDays
{
    public async Task<IReadOnlyCollection<LocalDate>> ReadAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT day FROM planned_days";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var days = new HashSet<LocalDate>();
        while (await reader.ReadAsync(cancellationToken)) days.Add(LocalDatePattern.Iso.Parse(reader.GetString(0)).GetValueOrThrow());
        return days;
    }

    public async Task MarkAsync(LocalDate day, Instant at, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO planned_days (day, planned_at) VALUES ($day, $at) ON CONFLICT (day) DO UPDATE SET planned_at = excluded.planned_at";
        command.Parameters.AddWithValue("$day", LocalDatePattern.Iso.Format(day));
        command.Parameters.AddWithValue("$at", InstantPattern.ExtendedIso.Format(at));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
