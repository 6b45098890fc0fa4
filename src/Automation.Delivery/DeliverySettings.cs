using Automation.Planning.Settings;
using Microsoft.Extensions.Configuration;

namespace Automation.Delivery;

/// <summary>Settings under <c>Automation:Delivery</c>.</summary>
public sealed record DeliverySettings(string Sender, string OutboxDirectory, int BatchSize)
{
    public const string Section = "Automation:Delivery";

    private static readonly Dictionary<string, string> Senders = new(StringComparer.OrdinalIgnoreCase) { ["outbox"] = "outbox" };

    public static DeliverySettings Read(IConfiguration configuration)
    {
        var reader = new SettingsReader(configuration);
        var settings = new DeliverySettings(
            reader.Choice(Section + ":Sender", "outbox", Senders),
            reader.Text(Section + ":Outbox:Directory", Path.Combine(".automation", "outbox")),
            reader.WholeNumber(Section + ":BatchSize", 100, 1, 1000, "messages"));
        reader.RejectUnknownKeys(Section);
        reader.ThrowIfInvalid();
        return settings;
    }
}
