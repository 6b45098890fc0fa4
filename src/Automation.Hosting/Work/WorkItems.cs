using System.Text.Json;
using System.Text.Json.Serialization;
using Automation.Delivery;
using Automation.Profiles.Serialization;
using NodaTime;

namespace Automation.Hosting.Work;

/// <summary>Plan one feed range of a pass over <see cref="Date"/> that began at <see cref="PassStart"/>.</summary>
/// <param name="Ranges">How many ranges the pass has: the day is planned once every one is. 0 in a work item from a version that recorded the day when it handed the items out.</param>
public sealed record PlanShardWork(LocalDate Date, string Range, Instant PassStart, int Ranges = 0);

/// <summary>
/// Deliver these messages, planned for <see cref="Date"/>; or, with no list, sweep what earlier days
/// left awaiting delivery (failed sends to retry, messages due beyond the provider's horizon).
/// </summary>
public sealed record DeliveryWork(LocalDate Date, IReadOnlyList<MessageKey>? Messages = null);

/// <summary>The JSON of work items in queue messages: dates and instants in ISO 8601, camelCase names.</summary>
public static class WorkJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new ProfileJson.InstantConverter(), new ProfileJson.LocalDateConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // A message missing a field, or with null where the item has none, is refused, not half-read.
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    public static string Serialize<T>(T work) => JsonSerializer.Serialize(work, Options);

    /// <summary>Reads a work item; a message that is not one throws <see cref="FormatException"/> naming what is wrong.</summary>
    /// <exception cref="FormatException">The text is not a <typeparamref name="T"/>.</exception>
    public static T Deserialize<T>(string json) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) ?? throw new FormatException($"The queue message is not a {typeof(T).Name}: it is null.");
        }
        catch (Exception ex) when (ex is JsonException or NodaTime.Text.UnparsableValueException)
        {
            throw new FormatException($"The queue message is not a {typeof(T).Name}: {ex.Message}", ex);
        }
    }
}
