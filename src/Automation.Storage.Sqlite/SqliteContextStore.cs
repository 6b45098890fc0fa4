using System.Runtime.CompilerServices;
using Automation.ContextSources.Areas;
using Automation.ContextSources.Pollen;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Text;

namespace Automation.Storage.Sqlite;

/// <summary>The forecast areas in use and the day's cached pollen answers.</summary>
public sealed class SqliteContextStore(SqliteDatabase database) : IForecastAreaStore, IPollenForecastCache
{
    // Old answers only explain past decisions; two months is plenty, and the table stays small.
    private static readonly Period Retention = Period.FromDays(60);

    public async IAsyncEnumerable<ForecastArea> ReadAreasAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT country, latitude_cell, longitude_cell FROM forecast_areas ORDER BY area_id";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) yield return new ForecastArea(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2));
    }

    public async Task AddAreasAsync(IReadOnlyCollection<ForecastArea> areas, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO forecast_areas (area_id, country, latitude_cell, longitude_cell) VALUES ($id, $country, $lat, $lon)
            ON CONFLICT (area_id) DO NOTHING
            """;
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var country = command.Parameters.Add("$country", SqliteType.Text);
        var latitude = command.Parameters.Add("$lat", SqliteType.Integer);
        var longitude = command.Parameters.Add("$lon", SqliteType.Integer);
        foreach (var area in areas)
        {
            (id.Value, country.Value, latitude.Value, longitude.Value) = (area.Id, area.Country, area.LatitudeCell, area.LongitudeCell);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AreaPollen>> ReadAsync(LocalDate date, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT area_id, provider, status, levels, reason, fetched_at FROM pollen_forecasts WHERE forecast_date = $date";
        command.Parameters.AddWithValue("$date", LocalDatePattern.Iso.Format(date));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var forecasts = new List<AreaPollen>();
        while (await reader.ReadAsync(cancellationToken))
        {
            forecasts.Add(new AreaPollen(reader.GetString(0), date, reader.GetString(1), Enum.Parse<ForecastStatus>(reader.GetString(2)),
                PollenLevelsJson.Parse(reader.GetString(3)), reader.IsDBNull(4) ? null : reader.GetString(4),
                InstantPattern.ExtendedIso.Parse(reader.GetString(5)).GetValueOrThrow()));
        }

        return forecasts;
    }

    public async Task SaveAsync(IReadOnlyCollection<AreaPollen> forecasts, CancellationToken cancellationToken = default)
    {
        if (forecasts.Count == 0) return;
        await using var connection = database.Open();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO pollen_forecasts (forecast_date, area_id, provider, status, levels, reason, fetched_at)
            VALUES ($date, $area, $provider, $status, $levels, $reason, $at)
            ON CONFLICT (forecast_date, area_id) DO UPDATE SET provider = excluded.provider, status = excluded.status,
                levels = excluded.levels, reason = excluded.reason, fetched_at = excluded.fetched_at
            """;
        var date = command.Parameters.Add("$date", SqliteType.Text);
        var area = command.Parameters.Add("$area", SqliteType.Text);
        var provider = command.Parameters.Add("$provider", SqliteType.Text);
        var status = command.Parameters.Add("$status", SqliteType.Text);
        var levels = command.Parameters.Add("$levels", SqliteType.Text);
        var reason = command.Parameters.Add("$reason", SqliteType.Text);
        var at = command.Parameters.Add("$at", SqliteType.Text);
        foreach (var forecast in forecasts)
        {
            date.Value = LocalDatePattern.Iso.Format(forecast.Date);
            area.Value = forecast.AreaId;
            provider.Value = forecast.Provider;
            status.Value = forecast.Status.ToString();
            levels.Value = PollenLevelsJson.Serialize(forecast.Levels);
            reason.Value = (object?)forecast.Reason ?? DBNull.Value;
            at.Value = InstantPattern.ExtendedIso.Format(forecast.FetchedAt);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var prune = connection.CreateCommand();
        prune.Transaction = transaction;
        prune.CommandText = "DELETE FROM pollen_forecasts WHERE forecast_date < $before";
        prune.Parameters.AddWithValue("$before", LocalDatePattern.Iso.Format(forecasts.Max(f => f.Date).Minus(Retention)));
        await prune.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
