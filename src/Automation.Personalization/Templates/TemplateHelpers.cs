using System.Globalization;
using HandlebarsDotNet;
using HandlebarsDotNet.IO;
using NodaTime.Text;

namespace Automation.Personalization.Templates;

/// <summary>A template used a value the customer's data lacks, with no fallback declared.</summary>
public sealed class MissingTemplateDataException(string name) : Exception($"'{name}' has no value and the template declares no fallback")
{
    public string Name { get; } = name;
}

/// <summary>
/// The helpers templates may use, named and shaped as in SendGrid dynamic templates where SendGrid has
/// one (<c>insert</c> with <c>default=</c>, <c>equals</c>, <c>greaterThan</c>, <c>formatDate</c>), plus <c>formatCurrency</c>.
/// Dates and amounts follow the template's locale.
/// </summary>
internal static class TemplateHelpers
{
    /// <summary>The culture of the template being rendered; rendering is synchronous, one template per thread at a time.</summary>
    [ThreadStatic]
    private static CultureInfo? t_culture;

    public static CultureInfo Culture => t_culture ?? CultureInfo.InvariantCulture;

    public static IDisposable UseCulture(CultureInfo culture)
    {
        var previous = t_culture;
        t_culture = culture;
        return new Restore(previous);
    }

    public static void Register(IHandlebars handlebars)
    {
        handlebars.Configuration.FormatterProviders.Add(new MissingValueFormatter());

        // {{insert first_name "default=there"}}: the value, or the declared fallback.
        handlebars.RegisterHelper("insert", (writer, context, arguments) =>
        {
            var value = arguments.Length > 0 ? arguments[0] : null;
            if (HasValue(value))
            {
                writer.Write(value);
                return;
            }

            var fallback = arguments.Skip(1).OfType<string>().FirstOrDefault(a => a.StartsWith("default=", StringComparison.Ordinal));
            if (fallback is null) throw new MissingTemplateDataException(NameOf(value));
            writer.Write(fallback["default=".Length..]);
        });

        // {{#equals pollen_type "grass"}}…{{else}}…{{/equals}}
        handlebars.RegisterHelper("equals", new HandlebarsBlockHelper((writer, options, context, arguments) =>
        {
            var equal = arguments.Length == 2 && HasValue(arguments[0])
                && string.Equals(Convert.ToString(arguments[0], CultureInfo.InvariantCulture), Convert.ToString(arguments[1], CultureInfo.InvariantCulture), StringComparison.Ordinal);
            if (equal) options.Template(writer, context);
            else options.Inverse(writer, context);
        }));

        // {{#greaterThan predicted_value 100}}…{{else}}…{{/greaterThan}}: a missing or non-numeric value takes the else branch.
        handlebars.RegisterHelper("greaterThan", new HandlebarsBlockHelper((writer, options, context, arguments) =>
        {
            var greater = arguments.Length == 2 && TryNumber(arguments[0], out var left) && TryNumber(arguments[1], out var right) && left > right;
            if (greater) options.Template(writer, context);
            else options.Inverse(writer, context);
        }));

        // {{formatDate birthday_date "long"}}: "long", "short", or a NodaTime pattern such as "d MMMM".
        handlebars.RegisterHelper("formatDate", (writer, context, arguments) =>
        {
            var value = arguments.Length > 0 ? arguments[0] : null;
            if (!HasValue(value)) throw new MissingTemplateDataException(NameOf(value));
            var parsed = LocalDatePattern.Iso.Parse(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
            if (!parsed.Success) throw new FormatException($"formatDate expects a date (YYYY-MM-DD), got '{value}'.");
            var format = arguments.Length > 1 ? arguments[1] as string ?? "long" : "long";
            var pattern = format switch { "long" => "D", "short" => "d", _ => format };
            writer.Write(parsed.Value.ToString(pattern, Culture));
        });

        // {{formatCurrency amount "EUR"}}: the amount with the currency's symbol and decimals in the locale's style.
        handlebars.RegisterHelper("formatCurrency", (writer, context, arguments) =>
        {
            var value = arguments.Length > 0 ? arguments[0] : null;
            if (!HasValue(value)) throw new MissingTemplateDataException(NameOf(value));
            var amount = Convert.ToDecimal(value, CultureInfo.InvariantCulture);
            var currency = arguments.Length > 1 ? Convert.ToString(arguments[1], CultureInfo.InvariantCulture) : null;
            writer.Write(FormatCurrency(amount, currency, Culture));
        });
    }

    private static bool TryNumber(object? value, out double number)
    {
        number = 0;
        return HasValue(value) && double.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }

    public static string FormatCurrency(decimal amount, string? currency, CultureInfo culture)
    {
        var format = (NumberFormatInfo)culture.NumberFormat.Clone();
        if (currency is { Length: 3 })
        {
            format.CurrencySymbol = CurrencySymbol(currency, culture);
            format.CurrencyDecimalDigits = currency is "JPY" or "KRW" ? 0 : 2;
        }

        return amount.ToString("C", format);
    }

    /// <summary>The symbol a reader in <paramref name="culture"/> expects for <paramref name="currency"/>: € for EUR everywhere, "US$" rather than "$" outside the US.</summary>
    private static string CurrencySymbol(string currency, CultureInfo culture)
    {
        if (!culture.IsNeutralCulture && culture.Name.Length > 0 && new RegionInfo(culture.Name).ISOCurrencySymbol == currency) return culture.NumberFormat.CurrencySymbol;
        return currency switch
        {
            "EUR" => "€",
            "GBP" => "£",
            "JPY" => "JP¥",
            "CNY" => "CN¥",
            "RUB" => "₽",
            "USD" => "US$",
            _ => currency,
        };
    }

    private static bool HasValue(object? value) => value is not null and not UndefinedBindingResult && !(value is string text && text.Length == 0);

    private static string NameOf(object? value) => value is UndefinedBindingResult undefined ? undefined.Value : "a value";

    private sealed class MissingValueFormatter : IFormatter, IFormatterProvider
    {
        public bool TryCreateFormatter(Type type, out IFormatter formatter)
        {
            formatter = this;
            return type == typeof(UndefinedBindingResult);
        }

        public void Format<T>(T value, in EncodedTextWriter writer) =>
            throw new MissingTemplateDataException(value is UndefinedBindingResult undefined ? undefined.Value : "a value");
    }

    private sealed class Restore(CultureInfo? previous) : IDisposable
    {
        public void Dispose() => t_culture = previous;
    }
}
