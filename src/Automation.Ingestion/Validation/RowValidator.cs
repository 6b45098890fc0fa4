using Automation.Ingestion.Formats;
using Automation.Profiles.Changes;
using Automation.Profiles.Erasure;
using Automation.Profiles.Model;
using NodaTime;

namespace Automation.Ingestion.Validation;

public enum IssueSeverity
{
    /// <summary>The row was not ingested.</summary>
    Rejected,
    /// <summary>The row was ingested without the named field.</summary>
    Warning,
}

public sealed record RowIssue(long Line, IssueSeverity Severity, string Field, string Reason);

/// <summary>
/// Turns a raw row into a validated change. A wrong or missing identity or key value (the ids, the
/// dates that order the rows, a transaction's amount and currency, a consent's channel and status)
/// rejects the row. A wrong optional value (an address, a birth date, a time zone, coordinates…) costs
/// that field only: it is dropped with a warning and the rest of the row lands, so one bad time zone
/// never loses a customer's address or consent. docs/export-format.md lists the rule per field.
/// </summary>
internal sealed class RowValidator
{
    private readonly IngestionSettings _options;
    private readonly IReadOnlySet<LocalDate> _placeholderBirthDates;
    private readonly Instant _latestAcceptable;
    private readonly LocalDate _today;
    private readonly AddressSupport _addresses;

    public RowValidator(IngestionSettings options, Instant now, AddressSupport addresses)
    {
        _options = options;
        _addresses = addresses;
        _placeholderBirthDates = options.PlaceholderBirthDates;
        _latestAcceptable = now + Duration.FromHours(options.FutureToleranceHours);
        // The latest calendar date anywhere on Earth right now: a birthday today in Kiritimati is not in the future.
        _today = now.InZone(DateTimeZone.ForOffset(Offset.FromHours(14))).Date;
    }

    public ProfileChange? Validate(ExportRow row, string fileId, List<RowIssue> issues) => row.Schema.Kind switch
    {
        ExportKind.Customers => ValidateCustomer(new Cursor(row, issues), new LineSource(fileId, row.Line)),
        ExportKind.Transactions => ValidateTransaction(new Cursor(row, issues), new LineSource(fileId, row.Line)),
        ExportKind.Consents => ValidateConsent(new Cursor(row, issues), new LineSource(fileId, row.Line)),
        ExportKind.Erasures => ValidateErasure(new Cursor(row, issues), new LineSource(fileId, row.Line)),
        _ => throw new InvalidOperationException("Unknown export kind."),
    };

    private CustomerUpdate? ValidateCustomer(Cursor row, LineSource source)
    {
        var id = row.Identifier("customer_id");
        Instant updatedAt = Instant.MinValue;
        if (row.Optional("updated_at") is { } updatedText)
        {
            var updated = row.Parse<OffsetDateTime>("updated_at", updatedText, FieldParsers.TryTimestamp);
            RejectIfFuture(row, "updated_at", updated);
            if (updated is { } at) updatedAt = at.ToInstant();
        }
        else
        {
            row.Warn("updated_at", "updated_at is missing: this row's values only fill fields that no dated row has set");
        }

        var email = row.ParseOptionalText("email", FieldParsers.TryEmail);
        if (email is not null && _addresses.Problem(email) is { } undeliverable)
        {
            row.Warn("email", $"kept, but {undeliverable}: the customer is not mailed until the address changes or the channel does");
        }

        var locale = row.ParseOptionalText("locale", FieldParsers.TryLocale);
        var timeZone = row.ParseOptionalText("time_zone", FieldParsers.TryTimeZone);
        var country = row.ParseOptionalText("country", FieldParsers.TryCountry);
        var emailOptIn = row.ParseOptional<bool>("email_opt_in", FieldParsers.TryBoolean);
        var healthOptIn = row.ParseOptional<bool>("health_personalization_opt_in", FieldParsers.TryBoolean);
        var birthDate = ValidateBirthDate(row);
        var coordinates = ValidateCoordinates(row);

        if (row.HasRejection || id is null) return null;
        return new CustomerUpdate(id, source, updatedAt)
        {
            Email = email,
            FirstName = row.Text("first_name"),
            LastName = row.Text("last_name"),
            BirthDate = birthDate,
            Locale = locale,
            TimeZone = timeZone,
            City = row.Text("city"),
            PostalCode = row.Text("postal_code"),
            Country = country,
            Coordinates = coordinates,
            EmailOptIn = emailOptIn,
            HealthPersonalizationOptIn = healthOptIn,
            CustomAttributes = row.Row.Extra.Select(e => (e.Key, Value: row.Clean(e.Key, e.Value))).Where(e => e.Value is not null)
                .ToDictionary(e => e.Key, e => e.Value!, StringComparer.Ordinal),
        };
    }

    private LocalDate? ValidateBirthDate(Cursor row)
    {
        if (row.ParseOptional<LocalDate>("birth_date", FieldParsers.TryDate) is not { } date) return null;
        if (_placeholderBirthDates.Contains(date))
        {
            row.Warn("birth_date", $"{date:uuuu-MM-dd} is a placeholder, not a birth date: the field was left empty");
            return null;
        }

        if (date > _today)
        {
            row.Drop("birth_date", $"{date:uuuu-MM-dd} is in the future");
            return null;
        }

        if (Period.Between(date, _today, PeriodUnits.Years).Years > _options.MaxAgeYears)
        {
            row.Drop("birth_date", $"{date:uuuu-MM-dd} implies an age over {_options.MaxAgeYears}");
            return null;
        }

        return date;
    }

    private static GeoPoint? ValidateCoordinates(Cursor row)
    {
        var latitude = row.ParseOptional<double>("latitude", FieldParsers.TryDouble);
        var longitude = row.ParseOptional<double>("longitude", FieldParsers.TryDouble);
        if (latitude is null && longitude is null) return null;
        if (latitude is null || longitude is null)
        {
            // Only when neither was unreadable (that one was warned about already).
            if (row.Optional("latitude") is null || row.Optional("longitude") is null)
            {
                row.Drop(latitude is null ? "latitude" : "longitude", "latitude and longitude must be given together");
            }

            return null;
        }

        if (latitude is < -90 or > 90 || longitude is < -180 or > 180)
        {
            row.Drop(latitude is < -90 or > 90 ? "latitude" : "longitude",
                latitude is < -90 or > 90 ? $"{latitude} is outside -90..90" : $"{longitude} is outside -180..180");
            return null;
        }

        if (latitude == 0 && longitude == 0)
        {
            row.Warn("latitude", "0,0 is a placeholder (a point in the Gulf of Guinea), not a location: coordinates left empty");
            return null;
        }

        return new GeoPoint(latitude.Value, longitude.Value);
    }

    private TransactionLine? ValidateTransaction(Cursor row, LineSource source)
    {
        var transactionId = row.Identifier("transaction_id");
        var customerId = row.Identifier("customer_id");
        var occurredAt = row.RequiredParse<OffsetDateTime>("occurred_at", FieldParsers.TryTimestamp);
        RejectIfFuture(row, "occurred_at", occurredAt);

        var amount = row.RequiredParse<decimal>("amount", FieldParsers.TryDecimal);
        if (amount is { } value && Math.Abs(value) > _options.MaxTransactionAmount)
        {
            row.Reject("amount", $"{value} exceeds the plausible maximum of {_options.MaxTransactionAmount} per line");
        }

        var currency = row.Optional("currency") is not null
            ? row.ParseText("currency", FieldParsers.TryCurrency)
            : row.Missing("currency");
        var quantity = row.ParseOptional<int>("quantity", FieldParsers.TryInteger);

        if (row.HasRejection) return null;
        return new TransactionLine(customerId!, source, transactionId!, row.Optional("line"), occurredAt!.Value, amount!.Value, currency!)
        {
            Quantity = quantity,
            Sku = row.Text("sku"),
            ProductName = row.Text("product_name"),
            Category = row.Text("category"),
            Channel = row.Text("channel"),
            StoreId = row.Text("store_id"),
        };
    }

    private ConsentChange? ValidateConsent(Cursor row, LineSource source)
    {
        var customerId = row.Identifier("customer_id");
        var channel = row.Required("channel")?.ToLowerInvariant().Replace('-', '_');
        if (channel is not null && !ConsentChannels.All.Contains(channel))
        {
            row.Reject("channel", $"'{row.Optional("channel")}' is not a consent channel (accepted: {string.Join(", ", ConsentChannels.All.Order())})");
        }

        var status = row.Required("status") is { } statusText ? ParseStatus(row, statusText) : null;
        var occurredAt = row.RequiredParse<OffsetDateTime>("occurred_at", FieldParsers.TryTimestamp);
        RejectIfFuture(row, "occurred_at", occurredAt);

        var email = row.ParseOptionalText("email", FieldParsers.TryEmail);
        if (row.HasRejection) return null;
        return new ConsentChange(customerId!, source, channel!, status!.Value, occurredAt!.Value.ToInstant())
        {
            Email = email,
            ConsentSource = row.Text("source"),
        };
    }

    private static ErasureRequest? ValidateErasure(Cursor row, LineSource source) =>
        row.Identifier("customer_id") is { } customerId && !row.HasRejection ? new ErasureRequest(customerId, source) : null;

    /// <summary>A timestamp later than now, beyond the tolerated clock skew, cannot be true.</summary>
    private void RejectIfFuture(Cursor row, string column, OffsetDateTime? value)
    {
        if (value is { } at && at.ToInstant() > _latestAcceptable) row.Reject(column, $"{row.Optional(column)} is in the future");
    }

    private static ConsentStatus? ParseStatus(Cursor row, string text)
    {
        switch (ExportSchema.Normalize(text))
        {
            case "optin" or "subscribed" or "granted" or "in":
                return ConsentStatus.OptIn;
            case "optout" or "unsubscribed" or "withdrawn" or "revoked" or "out":
                return ConsentStatus.OptOut;
            case "bounce" or "bounced" or "hardbounce":
                return ConsentStatus.Bounced;
            case "spamreport" or "spam" or "complaint":
                return ConsentStatus.SpamReport;
            default:
                row.Reject("status", $"'{text}' is not a consent status (accepted: opt_in, opt_out, bounce, spam_report)");
                return null;
        }
    }

    private delegate bool TryParse<T>(string text, out T value, out string? error);

    /// <summary>Reads fields of one row by canonical name and collects what is wrong with them.</summary>
    private readonly struct Cursor(ExportRow row, List<RowIssue> issues)
    {
        private readonly int _issuesBefore = issues.Count;

        public ExportRow Row => row;

        public bool HasRejection
        {
            get
            {
                for (var i = _issuesBefore; i < issues.Count; i++)
                {
                    if (issues[i].Severity == IssueSeverity.Rejected) return true;
                }

                return false;
            }
        }

        public string? Optional(string column) => row[row.Schema.IndexOf(column)];

        /// <summary>
        /// A free-text field, without the control characters that would reach a terminal or a mail header
        /// (with a warning); longer than <see cref="FieldLimits.MaxTextLength"/>, it is dropped.
        /// </summary>
        public string? Text(string column) => Optional(column) is { } text ? Clean(column, text) : null;

        public string? Clean(string column, string text)
        {
            var (clean, removed) = ControlCharacters.Remove(text);
            if (removed.Count > 0)
            {
                Warn(column, $"{removed.Count} control character(s) removed ({string.Join(", ", removed.Distinct().Take(5).Select(c => $"U+{(int)c:X4}"))}): " +
                    "they would reach a terminal or a mail header; line breaks and tabs became spaces");
            }

            if (clean.Length > FieldLimits.MaxTextLength)
            {
                Drop(column, $"the value is {clean.Length} characters long, more than the {FieldLimits.MaxTextLength} a field may hold");
                return null;
            }

            return clean.Length == 0 ? null : clean;
        }

        /// <summary>A required id both stores accept (<see cref="FieldLimits.IdentifierProblem"/>); otherwise the row is rejected.</summary>
        public string? Identifier(string column)
        {
            if (Required(column) is not { } id) return null;
            if (FieldLimits.IdentifierProblem(id) is not { } problem) return id;
            Reject(column, $"{column} {problem}");
            return null;
        }

        public string? Required(string column) => Optional(column) ?? Missing(column);

        public string? Missing(string column)
        {
            Reject(column, $"{column} is missing");
            return null;
        }

        public T? RequiredParse<T>(string column, TryParse<T> parse)
            where T : struct =>
            Optional(column) is { } text ? Parse(column, text, parse) : MissingValue<T>(column);

        private T? MissingValue<T>(string column)
            where T : struct
        {
            Missing(column);
            return null;
        }

        /// <summary>An optional value: unreadable, it is dropped with a warning and the row kept.</summary>
        public T? ParseOptional<T>(string column, TryParse<T> parse)
            where T : struct
        {
            if (Optional(column) is not { } text) return null;
            if (parse(text, out var value, out var error)) return value;
            Drop(column, error!);
            return null;
        }

        public T? Parse<T>(string column, string text, TryParse<T> parse)
            where T : struct
        {
            if (parse(text, out var value, out var error)) return value;
            Reject(column, error!);
            return null;
        }

        public string? ParseText(string column, TryParse<string> parse)
        {
            if (Optional(column) is not { } text) return null;
            if (parse(text, out var value, out var error)) return value;
            Reject(column, error!);
            return null;
        }

        /// <summary>An optional text value: unreadable, it is dropped with a warning and the row kept.</summary>
        public string? ParseOptionalText(string column, TryParse<string> parse)
        {
            if (Optional(column) is not { } text) return null;
            if (parse(text, out var value, out var error)) return value;
            Drop(column, error!);
            return null;
        }

        /// <summary>An optional field's value cannot be used: the row lands without it.</summary>
        public void Drop(string column, string reason) => Warn(column, $"{reason}: the row was kept without {column}");

        public void Reject(string column, string reason) => issues.Add(new RowIssue(row.Line, IssueSeverity.Rejected, column, reason));

        public void Warn(string column, string reason) => issues.Add(new RowIssue(row.Line, IssueSeverity.Warning, column, reason));
    }
}
