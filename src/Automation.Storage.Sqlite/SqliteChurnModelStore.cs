using Automation.Churn;
using Automation.Churn.Training;
using NodaTime.Text;

namespace Automation.Storage.Sqlite;

/// <summary>Keeps every fitted model, so past plans stay explainable; the latest is the one in use.</summary>
public sealed class SqliteChurnModelStore(SqliteDatabase database) : IChurnModelStore
{
    public async Task SaveAsync(ChurnModel model, CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO churn_models (fitted_at, as_of, model) VALUES ($fittedAt, $asOf, $model)";
        command.Parameters.AddWithValue("$fittedAt", InstantPattern.ExtendedIso.Format(model.FittedAt));
        command.Parameters.AddWithValue("$asOf", LocalDatePattern.Iso.Format(model.AsOf));
        command.Parameters.AddWithValue("$model", ChurnModelJson.Serialize(model));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ChurnModel?> LoadLatestAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT model FROM churn_models ORDER BY id DESC LIMIT 1";
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? ChurnModelJson.Deserialize(json) : null;
    }
}
