using Automation.Profiles.Identifiers;
using Automation.Churn;
using Automation.Planning.Context;
using Automation.Messages;
using Automation.Planning.Policies;
using Automation.Planning.Settings;
using Automation.Planning.Triggers;
using Automation.Profiles.Model;
using Microsoft.Extensions.Configuration;
using NodaTime;

namespace Automation.Planning.Tests;

/// <summary>The pure planner with settings from key/value pairs, as marketers would write them.</summary>
internal sealed class Planner
{
    private readonly CustomerPlanner _planner;

    public Planner(IPersonalizationCheck? personalization = null, params (string Key, string Value)[] settings)
        : this(personalization, null, settings)
    {
    }

    private Planner(IPersonalizationCheck? personalization, AddressSupport? addresses, (string Key, string Value)[] settings)
    {
        Settings = ReadSettings(settings);
        var triggers = new ITrigger[]
        {
            new BirthdayTrigger(Settings.Birthday),
            new ChurnRiskTrigger(Settings.ChurnRisk),
            new PollenTrigger(Settings.Pollen),
        };
        _planner = new CustomerPlanner(Settings, triggers, personalization ?? new AlwaysRenders(), addresses);
    }

    /// <summary>A planner for a channel that delivers only to <paramref name="addresses"/>.</summary>
    public static Planner For(AddressSupport addresses, params (string Key, string Value)[] settings) => new(null, addresses, settings);

    public Planner(params (string Key, string Value)[] settings)
        : this(null, settings)
    {
    }

    public PlanningSettings Settings { get; }

    /// <summary>No pollen; churn by the saved model <see cref="ChurnModel"/> when set, else the interval rule.</summary>
    public DayContext Context
    {
        get => _context ?? new(PollenForecasts.None(new LocalDate(2000, 1, 1)), ChurnRiskModels.Choose(ChurnModel, Settings.ChurnRisk));
        set => _context = value;
    }

    public ChurnModel? ChurnModel { get; set; }

    private DayContext? _context;

    public List<MessageDecision> Plan(CustomerProfile profile, LocalDate date, Instant now, params MessageHistoryEntry[] history) =>
        _planner.Plan(profile, history, Context, date, now) ?? [];

    /// <summary>Planning at 06:00 UTC on the day for a customer who shares an address with others.</summary>
    public List<MessageDecision> Plan(CustomerProfile profile, LocalDate date, SameAddress sameAddress, params MessageHistoryEntry[] history) =>
        _planner.Plan(profile, history, Context, date, date.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant().Plus(Duration.FromHours(6)), sameAddress) ?? [];

    /// <summary>Planning at 06:00 UTC on the day, before any European send window opens.</summary>
    public List<MessageDecision> Plan(CustomerProfile profile, LocalDate date, params MessageHistoryEntry[] history) =>
        Plan(profile, date, date.AtStartOfDayInZone(DateTimeZone.Utc).ToInstant().Plus(Duration.FromHours(6)), history);

    public static PlanningSettings ReadSettings(params (string Key, string Value)[] settings) =>
        PlanningSettings.Read(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build());

    public static MessageHistoryEntry Sent(string trigger, LocalDate day, string? cooldownKey = null, string? messageId = null) =>
        new(new MessageId(messageId ?? $"m-{trigger}-{day}"), new TriggerName(trigger), cooldownKey ?? trigger, day, MessageStatus.Sent, null);

    private sealed class AlwaysRenders : IPersonalizationCheck
    {
        public string? FindMissingData(CustomerProfile profile, TriggerCandidate candidate, MessageId messageId) => null;
    }
}
