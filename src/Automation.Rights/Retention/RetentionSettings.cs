using Automation.Settings;
using Microsoft.Extensions.Configuration;

namespace Automation.Rights.Retention;

/// <summary>How long the product keeps what it no longer needs, from <c>Automation:Retention</c>; both are off (0) unless set.</summary>
public sealed class RetentionSettings
{
    public const string Section = "Automation:Retention";

    /// <summary>Customers with no purchase, consent change or profile update for this many months are erased by the daily job; 0: never.</summary>
    public int InactiveMonths { get; init; }

    /// <summary>Transaction lines older than this many months are folded into the profile's aggregates; 0: kept.</summary>
    public int TransactionLineMonths { get; init; }

    public bool Enabled => InactiveMonths > 0 || TransactionLineMonths > 0;

    /// <exception cref="SettingsValidationException">A setting is wrong; one sentence names each.</exception>
    public static RetentionSettings Read(IConfiguration configuration)
    {
        var reader = new SettingsReader(configuration);
        var inactive = reader.WholeNumber($"{Section}:InactiveMonths", 0, 0, 1200, "months (0: off)");
        var lines = reader.WholeNumber($"{Section}:TransactionLineMonths", 0, 0, 1200, "months (0: off)");
        reader.RejectUnknownKeys(Section);
        reader.ThrowIfInvalid();
        return new RetentionSettings { InactiveMonths = inactive, TransactionLineMonths = lines };
    }
}
