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

    private const string MarkDay =
        "INSERT INTO planned_days (day, planned_at) VALUES ($day, $at) ON CONFLICT (day) DO UPDATE SET planned_at = excluded.planned_at;";

    public async Task MarkAsync(LocalDate day, Instant at, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(MarkDay, day, at, null, 0, cancellationToken);

    /// <summary>One statement, so two ranges finishing at once cannot both miss being the last.</summary>
    public async Task MarkRangeAsync(LocalDate day, string range, int ranges, Instant at, CancellationToken cancellationToken = default) =>
        await ExecuteAsync(
            "BEGIN IMMEDIATE; " +
            "INSERT INTO planned_ranges (day, range) VALUES ($day, $range) ON CONFLICT DO NOTHING; " +
            "INSERT INTO planned_days (day, planned_at) SELECT $day, $at WHERE (SELECT count(*) FROM planned_ranges WHERE day = $day) >= $ranges " +
            "ON CONFLICT (day) DO UPDATE SET planned_at = excluded.planned_at; " +
            "DELETE FROM planned_ranges WHERE day = $day AND EXISTS (SELECT 1 FROM planned_days WHERE day = $day); " +
            "COMMIT;",
            day, at, range, ranges, cancellationToken);

    private async Task ExecuteAsync(string sql, LocalDate day, Instant at, string? range, int ranges, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$day", LocalDatePattern.Iso.Format(day));
        command.Parameters.AddWithValue("$at", InstantPattern.ExtendedIso.Format(at));
        command.Parameters.AddWithValue("$range", (object?)range ?? DBNull.Value);
        command.Parameters.AddWithValue("$ranges", ranges);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
