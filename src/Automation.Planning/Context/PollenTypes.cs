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

    /// <summary>
    /// Levels in grains/m³ commonly classed as "high" (grass from 50, ragweed from 30, tree pollen from
    /// 100, olive from 200); a starting point for marketers to tune.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, double> DefaultThresholds = new SortedDictionary<string, double>(StringComparer.Ordinal)
    {
        [Grass] = 50, [Birch] = 100, [Alder] = 100, [Olive] = 200, [Mugwort] = 50, [Ragweed] = 30,
    };
}
