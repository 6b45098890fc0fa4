using System.Globalization;
using Automation.Reporting.Statistics;

namespace Automation.Reporting.Outcomes;

/// <summary>
/// The sentence a marketer reads per trigger. It never claims more than the interval supports: a rise or
/// fall only when the 95% interval of the difference excludes zero; otherwise how many more customers
/// per group it takes to see a 1-point lift, or that none was seen with enough of them.
/// </summary>
public static class OutcomeVerdict
{
    /// <summary>The lift the power calculation is for: one percentage point.</summary>
    public const double DetectableLift = 0.01;

    public static string For(string trigger, long messaged, long messagedConverted, long heldOut, long heldOutConverted, int windowDays)
    {
        var mails = Label(trigger);
        if (heldOut == 0 && messaged == 0) return $"Nothing to measure yet: no {trigger} decision has had its {windowDays}-day window end.";
        if (heldOut == 0) return $"No held-out customers: set a HoldoutPercent for {trigger} to measure what its mails do ({Rate(messagedConverted, messaged)} of {Count(messaged)} messaged customers bought within {windowDays} days).";
        if (messaged == 0) return $"Nothing sent yet: {Count(heldOut)} held-out customers and no messaged ones.";

        var difference = Proportions.Difference(messagedConverted, messaged, heldOutConverted, heldOut);
        var rates = $"from {Rate(heldOutConverted, heldOut)} to {Rate(messagedConverted, messaged)} ({Points(difference.Estimate)} points, 95% interval {Points(difference.Low)} to {Points(difference.High)})";
        var customers = Count(messaged + heldOut);
        if (difference.Low > 0) return $"{mails} raised the {windowDays}-day purchase rate {rates} over {customers} customers.";
        if (difference.High < 0) return $"{mails} lowered the {windowDays}-day purchase rate {rates} over {customers} customers.";
        var needed = Proportions.SampleSizePerGroup((double)heldOutConverted / heldOut, DetectableLift);
        var smaller = Math.Min(messaged, heldOut);
        if (smaller < needed)
        {
            return $"Not enough data yet: about {Count(needed - smaller)} more customers per group are needed to detect a 1-point lift " +
                $"(so far the {windowDays}-day purchase rate went {rates} over {customers} customers).";
        }

        return $"No effect seen: the {windowDays}-day purchase rate went {rates} over {customers} customers, enough to have seen a 1-point lift.";
    }

    /// <summary>"birthday" → "Birthday mails", "churn_risk" → "Churn risk mails".</summary>
    private static string Label(string trigger)
    {
        var words = trigger.Replace('_', ' ').Replace('-', ' ');
        return words.Length == 0 ? "Mails" : char.ToUpperInvariant(words[0]) + words[1..] + " mails";
    }

    private static string Rate(long converted, long total) => ReportFormat.Percent((double)converted / total);

    private static string Points(double difference) => ReportFormat.Points(difference);

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
