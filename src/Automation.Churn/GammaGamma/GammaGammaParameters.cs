namespace Automation.Churn.GammaGamma;

/// <summary>
/// The Gamma-Gamma spend model (Fader &amp; Hardie, note 025): a customer's transaction values are
/// Gamma(<see cref="P"/>, ν) around their own mean, and ν is Gamma(<see cref="Q"/>, <see cref="Gamma"/>)
/// across customers. Independent of the purchase process, so it pairs with BG/NBD.
/// </summary>
public sealed record GammaGammaParameters(double P, double Q, double Gamma)
{
    /// <summary>The mean spend of a customer we know nothing about: pγ / (q − 1); <c>null</c> when q ≤ 1 (infinite mean).</summary>
    public double? PopulationMeanSpend => Q > 1 ? P * Gamma / (Q - 1) : null;

    /// <summary>
    /// E[Z | x, z̄]: the customer's expected transaction value, their own mean <paramref name="averageRepeatSpend"/>
    /// over <paramref name="repeatPurchases"/> repeat purchases shrunk towards the population mean, the
    /// more so the fewer purchases. Without a repeat purchase, the population mean.
    /// </summary>
    public double? ExpectedAverageSpend(int repeatPurchases, double? averageRepeatSpend)
    {
        if (repeatPurchases == 0 || averageRepeatSpend is not { } mean) return PopulationMeanSpend;
        var px = P * repeatPurchases;
        return px + Q > 1 ? (Gamma + mean * repeatPurchases) * P / (px + Q - 1) : null;
    }

    public override string ToString() => FormattableString.Invariant($"p={P:0.####} q={Q:0.####} γ={Gamma:0.####}");
}
