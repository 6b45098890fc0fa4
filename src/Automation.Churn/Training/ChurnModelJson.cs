using System.Text.Json;
using Automation.Profiles.Serialization;

namespace Automation.Churn.Training;

/// <summary>The saved model's document (camelCase JSON), the same in every store.</summary>
public static class ChurnModelJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        // The profile document's ISO 8601 forms: one way to write an instant or a date in every store.
        Converters = { new ProfileJson.InstantConverter(), new ProfileJson.LocalDateConverter() },
    };

    public static string Serialize(ChurnModel model) => JsonSerializer.Serialize(model, Options);

    public static ChurnModel Deserialize(string json) =>
        JsonSerializer.Deserialize<ChurnModel>(json, Options) ?? throw new JsonException("A saved churn model is null.");
}
