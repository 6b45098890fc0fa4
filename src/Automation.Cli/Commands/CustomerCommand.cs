using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Automation.Hosting;
using Automation.Profiles.Churn;
using Automation.Profiles.Model;
using Automation.Profiles.Serialization;
using Automation.Profiles.Storage;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;
using Spectre.Console;

namespace Automation.Cli.Commands;

internal static class CustomerCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("id") { Description = "The customer id." };
        var json = GlobalOptions.CreateJson();
        var export = new Option<string>("--export")
        {
            Description = "Write everything held about the customer (profile, consents with their sources, transaction lines, messages and their reports) to this JSON file (docs/privacy.md).",
        };
        var command = new Command("customer", "Show one customer's profile, with the statistics triggers use, or export everything held about them.") { id, json, export };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = CliHost.Build(parse);
            var store = services.GetRequiredService<ICustomerProfileStore>();
            var customerId = parse.GetRequiredValue(id);
            var profile = await store.GetAsync(customerId, cancellationToken);
            if (profile is null)
            {
                var erased = await services.GetRequiredService<Profiles.Erasure.IErasureStore>().IsErasedAsync(new(customerId), cancellationToken);
                Console.Error.WriteLine(erased ? $"Customer '{customerId}' was erased: nothing about them is held." : $"No customer with id '{customerId}' in the store.");
                return ExitCodes.Failure;
            }

            if (parse.GetValue(export) is { } path)
            {
                // The file holds personal data.
                await OwnerOnlyFile.WriteAsync(path, replace: true,
                    file => services.GetRequiredService<Rights.Access.CustomerDataExport>().WriteAsync(customerId, file, cancellationToken));
                Console.WriteLine($"Wrote everything held about customer {customerId} to {Path.GetFullPath(path)}.");
                return ExitCodes.Success;
            }

            var insights = ProfileInsights.Of(profile, services.GetRequiredService<IClock>().GetCurrentInstant());
            if (parse.GetValue(json)) WriteJson(profile, insights);
            else WriteTable(profile, insights);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteJson(CustomerProfile profile, ProfileInsights insights)
    {
        var document = JsonNode.Parse(ProfileJson.Serialize(profile))!.AsObject();
        document["insights"] = JsonSerializer.SerializeToNode(insights, CliJson.Options);
        Console.Out.WriteLine(document.ToJsonString(new JsonSerializerOptions(CliJson.Options) { WriteIndented = true }));
    }

    private static void WriteTable(CustomerProfile profile, ProfileInsights insights)
    {
        var table = new Table().AddColumns("Field", "Value").HideHeaders();
        void Row(string name, object? value) => table.AddRow(name, CliFormat.Text(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "—"));
        Row("Customer", profile.CustomerId);
        Row("Email", profile.Email);
        Row("Name", string.Join(' ', new[] { profile.FirstName, profile.LastName }.Where(n => n is not null)));
        Row("Birth date", profile.BirthDate is { } b ? LocalDatePattern.Iso.Format(b) : null);
        Row("Locale / time zone", $"{profile.Locale ?? "—"} / {profile.TimeZone ?? "—"}");
        Row("Location", string.Join(", ", new[] { profile.City, profile.PostalCode, profile.Country }.Where(v => v is not null)));
        Row("Contactable by email", insights.Contactable ? "yes" : "no");
        Row("Email opt-in", insights.EmailOptedIn ? "yes" : "no");
        Row("Health personalisation opt-in", insights.HealthPersonalizationOptedIn ? "yes" : "no");
        Row("Orders / purchase days", $"{profile.Purchases.OrderCount} / {profile.Purchases.PurchaseDays.Count}");
        foreach (var (currency, spend) in profile.Purchases.SpendByCurrency)
        {
            Row($"Spend {currency}", $"gross {spend.Gross:0.00}, refunded {spend.Refunded:0.00}, net {spend.Net:0.00}, average order {spend.AverageOrderValue:0.00}");
        }

        if (insights.Churn is { } churn)
        {
            Row($"x, t_x, T (days, as of {insights.AsOf})", $"{churn.X}, {churn.RecencyDays}, {churn.AgeDays}");
        }

        Row("Median days between purchases", profile.Purchases.MedianDaysBetweenPurchases);
        foreach (var (name, value) in profile.CustomAttributes) Row(name, value);
        AnsiConsole.Write(table);
    }

    /// <summary>What triggers will read off the profile that depends on the date, evaluated on the customer's own calendar day.</summary>
    internal sealed record ProfileInsights(
        string AsOf, bool Contactable, bool EmailOptedIn, bool HealthPersonalizationOptedIn, ChurnInputs? Churn)
    {
        public static ProfileInsights Of(CustomerProfile profile, Instant now)
        {
            var zone = profile.TimeZone is { } id ? DateTimeZoneProviders.Tzdb.GetZoneOrNull(id) ?? DateTimeZone.Utc : DateTimeZone.Utc;
            var today = now.InZone(zone).Date;
            return new ProfileInsights(
                LocalDatePattern.Iso.Format(today),
                profile.HasEmail,
                profile.Consents.TryGetValue(ConsentChannels.Email, out var email) && email.IsOptedIn,
                profile.Consents.TryGetValue(ConsentChannels.HealthPersonalization, out var health) && health.IsOptedIn,
                ChurnInputs.AsOf(profile.Purchases, today));
        }
    }
}
