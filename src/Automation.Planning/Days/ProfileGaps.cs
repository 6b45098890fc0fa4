using Automation.Profiles.Model;

namespace Automation.Planning.Days;

/// <summary>
/// The profile fields templates get that a customer may lack: a plan counts, per trigger, the customers
/// it mails without each, so the Templates page can say when a template's field is empty for most of
/// them without reading a profile.
/// </summary>
[Flags]
public enum ProfileGaps : byte
{
    None = 0,
    FirstName = 1,
    LastName = 2,
    City = 4,
    Country = 8,
}

public static class ProfileGapFields
{
    /// <summary>Each gap with the template field it leaves out, as templates name it (docs/personalization.md).</summary>
    public static IReadOnlyList<(ProfileGaps Gap, string Field)> All { get; } =
        [(ProfileGaps.FirstName, "first_name"), (ProfileGaps.LastName, "last_name"), (ProfileGaps.City, "city"), (ProfileGaps.Country, "country")];

    public static ProfileGaps Of(CustomerProfile profile) =>
        (string.IsNullOrWhiteSpace(profile.FirstName) ? ProfileGaps.FirstName : 0)
        | (string.IsNullOrWhiteSpace(profile.LastName) ? ProfileGaps.LastName : 0)
        | (string.IsNullOrWhiteSpace(profile.City) ? ProfileGaps.City : 0)
        | (string.IsNullOrWhiteSpace(profile.Country) ? ProfileGaps.Country : 0);
}
