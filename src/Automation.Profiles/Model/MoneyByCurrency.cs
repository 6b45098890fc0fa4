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
        IEnumerable<KeyValuePair<string, decimal>> all = _others ?? (IEnumerable<KeyValuePair<string, decimal>>)[];
        if (_currency is not null) all = all.Append(new(_currency, _amount));
        return all.OrderBy(p => p.Key, StringComparer.Ordinal).GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private sealed class MoneyByCurrencyConverter : JsonConverter<MoneyByCurrency>
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
