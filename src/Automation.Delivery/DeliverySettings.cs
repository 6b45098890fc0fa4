using Automation.Settings;
using Microsoft.Extensions.Configuration;
using NodaTime;

namespace Automation.Delivery;

/// <summary>Settings under <c>Automation:Delivery</c>. Where messages go is decided by whether a provider is configured (SendGrid's API key).</summary>
/// <param name="SendingTimeout">A message still marked "sending" after this long was left by an interrupted run.</param>
public sealed record DeliverySettings(string OutboxDirectory, int BatchSize, Duration SendingTimeout)
{
    public const string Section = "Automation:Delivery";

    public static DeliverySettings Read(IConfiguration configuration)
    {
        var reader = new SettingsReader(configuration);
        var settings = new DeliverySettings(
            reader.Text(Section + ":Outbox:Directory", Path.Combine(".automation", "outbox")),
            reader.WholeNumber(Section + ":BatchSize", 1000, 1, 10_000, "messages"),
            Duration.FromMinutes(reader.WholeNumber(Section + ":SendingTimeoutMinutes", 15, 0, 24 * 60, "minutes")));
        reader.RejectUnknownKeys(Section);
        reader.ThrowIfInvalid();
        return settings;
    }
}
