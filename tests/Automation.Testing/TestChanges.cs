using Automation.Profiles.Changes;
using Automation.Profiles.Model;
using NodaTime;

namespace Automation.Testing;

/// <summary>Builders for validated changes with obviously synthetic data.</summary>
public static class TestChanges
{
    public static readonly LineSource FileA = new("sha256:file-a", 2);

    public static Instant At(int year, int month, int day) => Instant.FromUtc(year, month, day, 10, 0);

    public static CustomerUpdate Customer(string id, Instant updatedAt, string? email = null, string? firstName = null, LineSource? source = null) =>
        new(id, source ?? FileA, updatedAt) { Email = email, FirstName = firstName };

    public static TransactionLine Line(
        string customerId, string transactionId, decimal amount, string? line = null, string? category = null,
        LocalDate? day = null, LineSource? source = null, string currency = "EUR", LocalTime? time = null) =>
        new(customerId, source ?? new LineSource("sha256:file-a", Math.Abs(HashCode.Combine(transactionId, line)) % 100_000 + 2),
            transactionId, line,
            (day ?? new LocalDate(2024, 3, 1)).At(time ?? new LocalTime(12, 0)).WithOffset(Offset.FromHours(1)),
            amount, currency)
        { Category = category };

    public static ConsentChange Consent(string customerId, ConsentStatus status, Instant at, string channel = ConsentChannels.Email, string? email = null) =>
        new(customerId, FileA, channel, status, at) { Email = email, ConsentSource = "test" };
}
