namespace Automation.Planning.Context;

/// <summary>The pollen types forecasts report, as the European pollen services and Open-Meteo name them.</summary>
public static class PollenTypes
{
    public const string Grass = "grass";
    public const string Birch = "birch";
    public const string Alder = "alder";
    public const string Olive = "olive";
    public const string Mugwort = "mugwort";
    public const string Ragweed = "ragweed";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Grass, Birch, Alder, Olive, Mugwort, Ragweed };

    /// <summary>Which of the National Allergy Bureau's groups (trees, grass, weeds) a type belongs to.</summary>
    public static PollenGroup GroupOf(string type) => type switch
    {
        Grass => PollenGroup.Grass,
        Mugwort or Ragweed => PollenGroup.Weed,
        _ => PollenGroup.Tree,
    };

    /// <summary>
    /// Where "high" begins, in grains/m³ over a day, by the US National Allergy Bureau (AAAAI) bands:
    /// trees high from 90, grass from 20, weeds from 50 (docs/pollen.md has the full bands). A starting
    /// point for marketers to tune per type.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, double> DefaultThresholds = new SortedDictionary<string, double>(StringComparer.Ordinal)
    {
        [Grass] = 20, [Birch] = 90, [Alder] = 90, [Olive] = 90, [Mugwort] = 50, [Ragweed] = 50,
    };
}

public enum PollenGroup
{
    Tree,
    Grass,
    Weed,
}
