using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Automation.Profiles.Model;

/// <summary>
/// Amounts per ISO 4217 currency, serialised as a JSON object in currency order. Nearly every
/// customer buys in one currency, so the first is held inline and a map is only made for a second:
/// profiles are cached by the thousand during ingestion, and this keeps them small.
/// </summary>
[JsonConverter(typeof(MoneyByCurrencyConverter))]
public sealed class MoneyByCurrency : IEnumerable<KeyValuePair<string, decimal>>
{
    private string? _currency;
    private decimal _amount;
    private OrdinalMap<decimal>? _others;

    public int Count => (_currency is null ? 0 : 1) + (_others?.Count ?? 0);

    public decimal this[string currency]
    {
        get => currency == _currency ? _amount : _others?.GetValueOrDefault(currency) ?? 0m;
        set
        {
            if (_currency is null || currency == _currency)
            {
                (_currency, _amount) = (currency, value);
            }
            else
            {
                (_others ??= [])[currency] = value;
            }
        }
    }

    public void Add(string currency, decimal amount) => this[currency] += amount;

    public IEnumerator<KeyValuePair<string, decimal>> GetEnumerator()
    {
        if (_currency is null) yield break;
        if (_others is null)
        {
            yield return new(_currency, _amount);
            yield break;
        }

        // Merge the inline currency into the sorted others.
        var inlineDone = false;
        for (var i = 0; i < _others.Count; i++)
        {
            var key = _others.Keys[i];
            if (!inlineDone && string.CompareOrdinal(_currency, key) < 0)
            {
                inlineDone = true;
                yield return new(_currency, _amount);
            }

            yield return new(key, _others.Values[i]);
        }

        if (!inlineDone) yield return new(_currency, _amount);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal sealed class MoneyByCurrencyConverter : JsonConverter<MoneyByCurrency>
    {
        public override MoneyByCurrency Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("Expected an object of amounts per currency.");
            var money = new MoneyByCurrency();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var currency = reader.GetString()!;
                reader.Read();
                money[currency] = reader.GetDecimal();
            }

            return money;
        }

        public override void Write(Utf8JsonWriter writer, MoneyByCurrency value, JsonSerializerOptions options)
        {
            writer.WriteStartObject();
            foreach (var (currency, amount) in value) writer.WriteNumber(currency, amount);
            writer.WriteEndObject();
        }
    }
}
