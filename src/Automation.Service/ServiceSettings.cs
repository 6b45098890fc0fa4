using Automation.Settings;
using Microsoft.Extensions.Configuration;

namespace Automation.Service;

/// <summary>The settings of <c>automation serve</c>, from <c>Automation:Service</c> (and the inbox <c>run</c> reads too).</summary>
public sealed class ServiceSettings
{
    public const string Section = "Automation:Service";
    public const string InboxKey = "Automation:Run:InboxDirectory";

    /// <summary>
    /// 05:00 UTC: the plan of the day ahead then runs five hours before that day begins anywhere (10:00
    /// UTC in UTC+14), with room for a late export or a consents file to complete.
    /// </summary>
    public const string DefaultPlanSchedule = "0 5 * * *";

    public required string InboxDirectory { get; init; }
    public required PlanSchedule PlanSchedule { get; init; }

    /// <summary>How often the inbox is looked at and due messages delivered; real time, not the business clock.</summary>
    public required TimeSpan PollInterval { get; init; }

    /// <summary>Where the preference links are answered (Kestrel); none: the links are left to another host.</summary>
    public required IReadOnlyList<Uri> Urls { get; init; }

    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>
    /// The key that opens the marketers' console (signing in with it) and the outcome report (a browser
    /// signed in, or a program sending it in <see cref="Automation.MarketerConsole.ConsoleAccess.KeyHeader"/>);
    /// null: neither is served.
    /// </summary>
    public string? AccessKey { get; init; }

    /// <summary>
    /// The inbox <c>run</c> ingests and <c>serve</c> watches. A folder that does not exist, or a key
    /// under <c>Automation:Run</c> nothing reads, goes to <paramref name="reader"/>'s errors.
    /// </summary>
    public static string ReadInbox(SettingsReader reader)
    {
        var inbox = reader.Text(InboxKey, "inbox");
        reader.RejectUnknownKeys("Automation:Run");
        if (!Directory.Exists(inbox)) reader.Error($"{InboxKey}: the folder {Path.GetFullPath(inbox)} does not exist.");
        return inbox;
    }

    /// <exception cref="SettingsValidationException">A setting is wrong; one sentence names each.</exception>
    public static ServiceSettings Read(IConfiguration configuration)
    {
        var reader = new SettingsReader(configuration);
        var inbox = ReadInbox(reader);
        var scheduleText = reader.Text($"{Section}:PlanSchedule", DefaultPlanSchedule);
        var pollMilliseconds = reader.WholeNumber($"{Section}:PollMilliseconds", 10_000, 10, 3_600_000, "milliseconds");
        var urls = new List<Uri>();
        foreach (var text in reader.List($"{Section}:Urls", [DefaultUrl]).Where(u => u != "none"))
        {
            if (Uri.TryCreate(text, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) && url.AbsolutePath == "/") urls.Add(url);
            else reader.Error($"{Section}:Urls: '{text}' is not an address to listen on such as {DefaultUrl} (or none).");
        }

        var accessKey = reader.Text($"{Section}:AccessKey", "", required: false);
        // A key anyone could guess protects nothing.
        if (accessKey.Length is > 0 and < 16) reader.Error($"{Section}:AccessKey must have at least 16 characters (a random one: openssl rand -hex 16), or be left out to serve neither the console nor the report.");
        reader.RejectUnknownKeys(Section);
        var schedule = PlanSchedule.TryParse(scheduleText, out var problem);
        if (schedule is null) reader.Error($"{Section}:PlanSchedule: {problem}.");
        reader.ThrowIfInvalid();
        return new ServiceSettings { InboxDirectory = inbox, PlanSchedule = schedule!, PollInterval = TimeSpan.FromMilliseconds(pollMilliseconds), Urls = urls,
            AccessKey = accessKey.Length > 0 ? accessKey : null };
    }
}
