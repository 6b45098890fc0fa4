using Automation.Planning.Context;

namespace Automation.ContextSources.Pollen.Google;

/// <summary>
/// Google's Universal Pollen Index (0 none, 1 very low, 2 low, 3 moderate, 4 high, 5 very high) on our
/// scale of grains/m³, through the National Allergy Bureau bands the default thresholds come from.
/// Each category maps to the least concentration consistent with it, so a threshold at a band's start
/// fires exactly from that category up, and a level is never overstated. docs/pollen.md has the table.
/// </summary>
public static class UniversalPollenIndex
{
    public const int Max = 5;

    // Index 0–5 → grains/m³. NAB bands: trees low 1–14, moderate 15–89, high 90–1499, very high ≥ 1500;
    // grass 1–4, 5–19, 20–199, ≥ 200; weeds 1–9, 10–49, 50–499, ≥ 500. UPI splits NAB's "low" in two:
    // "very low" is its start, "low" its middle.
    private static readonly double[] Tree = [0, 1, 8, 15, 90, 1500];
    private static readonly double[] Grass = [0, 1, 3, 5, 20, 200];
    private static readonly double[] Weed = [0, 1, 5, 10, 50, 500];

    public static double ToGrainsPerCubicMetre(PollenGroup group, int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, Max);
        return group switch
        {
            PollenGroup.Grass => Grass[index],
            PollenGroup.Weed => Weed[index],
            _ => Tree[index],
        };
    }
}
