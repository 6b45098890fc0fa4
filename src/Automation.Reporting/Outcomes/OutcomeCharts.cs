using ScottPlot;

namespace Automation.Reporting.Outcomes;

/// <summary>
/// The report's charts as SVG (ScottPlot), to sit inside the page: no image file, no script, nothing
/// fetched from another host.
/// </summary>
internal static class OutcomeCharts
{
    private const int Width = 640, Height = 320;
    private static readonly Color Messaged = Color.FromHex("#1f5fa8");
    private static readonly Color HeldOut = Color.FromHex("#b04a00");

    /// <summary>The share of each group that had bought by each day since the send, messaged against held out.</summary>
    public static string CumulativeConversion(TriggerOutcome outcome)
    {
        var plot = new Plot();
        var days = Enumerable.Range(0, outcome.CumulativeConversion.Messaged.Count + 1).Select(d => (double)d).ToArray();
        double[] Percents(IReadOnlyList<double> shares) => [0, .. shares.Select(s => s * 100)];
        var messagedPercents = Percents(outcome.CumulativeConversion.Messaged);
        var heldOutPercents = Percents(outcome.CumulativeConversion.HeldOut);
        var messaged = plot.Add.ScatterLine(days, messagedPercents, Messaged);
        messaged.LegendText = $"Messaged ({outcome.Messaged:N0})";
        messaged.LineWidth = 2;
        var heldOut = plot.Add.ScatterLine(days, heldOutPercents, HeldOut);
        heldOut.LegendText = $"Held out ({outcome.HeldOut:N0})";
        heldOut.LineWidth = 2;
        heldOut.LinePattern = LinePattern.Dashed;
        plot.Title($"{outcome.Trigger}: customers who bought, by day since the send");
        plot.XLabel("Days since the send");
        plot.YLabel("Bought (%)");
        plot.Axes.SetLimitsY(0, Math.Max(1, Math.Max(messagedPercents.Max(), heldOutPercents.Max()) * 1.15));
        plot.ShowLegend(Alignment.UpperLeft);
        return plot.GetSvgXml(Width, Height);
    }

    /// <summary>Each trigger's uplift in percentage points with its 95% interval, and the zero line it must clear.</summary>
    public static string Uplift(IReadOnlyList<TriggerOutcome> triggers)
    {
        var measured = triggers.Where(t => t.Uplift is not null).ToList();
        var plot = new Plot();
        var positions = Enumerable.Range(0, measured.Count).Select(i => (double)i).ToArray();
        var estimates = measured.Select(t => t.Uplift!.Absolute * 100).ToArray();
        var bars = plot.Add.ErrorBar(positions, estimates, new double[measured.Count]);
        bars.YErrorNegative = measured.Select(t => (t.Uplift!.Absolute - t.Uplift.Low) * 100).ToArray();
        bars.YErrorPositive = measured.Select(t => (t.Uplift!.High - t.Uplift.Absolute) * 100).ToArray();
        bars.LineWidth = 2;
        bars.Color = Messaged;
        plot.Add.Markers(positions, estimates, MarkerShape.FilledCircle, 9, Messaged);
        plot.Add.HorizontalLine(0, 1, Colors.Gray, LinePattern.Dotted);
        plot.Axes.Bottom.SetTicks(positions, measured.Select(t => t.Trigger).ToArray());
        plot.Axes.SetLimitsX(-0.6, Math.Max(0.6, measured.Count - 0.4));
        plot.Title("Uplift in purchase rate with its 95% interval");
        plot.YLabel("Points (messaged minus held out)");
        return plot.GetSvgXml(Width, Height);
    }
}
