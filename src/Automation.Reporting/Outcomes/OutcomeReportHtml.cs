using System.Globalization;
using System.Net;
using System.Text;

namespace Automation.Reporting.Outcomes;

/// <summary>
/// The report as one self-contained page (styles and SVG charts inline, no script, nothing from another
/// host), for a marketer's browser or a mail attachment: the verdict first, then the figures behind it.
/// </summary>
public static class OutcomeReportHtml
{
    public static string Render(OutcomeReportResult report)
    {
        var html = new StringBuilder(64 * 1024);
        html.Append("""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>What the messages did</title>
            <style>
            body { font-family: system-ui, sans-serif; color: #1a1a1a; background: #fff; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; line-height: 1.45; }
            h1 { font-size: 1.6rem; } h2 { font-size: 1.3rem; margin-top: 2.5rem; border-top: 1px solid #ccc; padding-top: 1rem; } h3 { font-size: 1.05rem; }
            table { border-collapse: collapse; margin: .5rem 0 1rem; } th, td { border: 1px solid #bbb; padding: .25rem .6rem; text-align: right; } th:first-child, td:first-child { text-align: left; }
            th { background: #eef2f7; } .verdict { font-size: 1.1rem; font-weight: 600; } .note { color: #444; font-size: .9rem; }
            figure { margin: 1rem 0; } svg { max-width: 100%; height: auto; }
            </style>
            </head>
            <body>
            <h1>What the messages did</h1>
            """);
        AppendBody(html, report);
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>The page's content without its document, heading and styles: for a page that has its own (the console's).</summary>
    public static string RenderBody(OutcomeReportResult report)
    {
        var html = new StringBuilder(64 * 1024);
        AppendBody(html, report);
        return html.ToString();
    }

    private static void AppendBody(StringBuilder html, OutcomeReportResult report)
    {
        html.Append(CultureInfo.InvariantCulture, $"<p>Decisions planned {Text(report.From)} to {Text(report.To)}; a purchase counts within {report.WindowDays} days after the send time; as of {Text(report.AsOf)}.</p>\n");
        if (report.Triggers.Count == 0)
        {
            html.Append("<p>No decision to mail or hold out in the period.</p>\n");
        }
        else
        {
            if (report.Triggers.Any(t => t.Uplift is not null))
            {
                html.Append("<figure>").Append(OutcomeCharts.Uplift(report.Triggers))
                    .Append("<figcaption>A trigger whose interval lies above the dotted zero line raised purchases; one that crosses it has not shown an effect yet.</figcaption></figure>\n");
            }

            foreach (var outcome in report.Triggers) AppendTrigger(html, outcome);
        }

        html.Append("<p class=\"note\">Opens are shown for delivery health only: mail privacy features open every mail, so uplift is measured on purchases. How each figure is made: docs/reporting.md.</p>\n");
    }

    private static void AppendTrigger(StringBuilder html, TriggerOutcome outcome)
    {
        html.Append(CultureInfo.InvariantCulture, $"<section>\n<h2>{Text(outcome.Trigger)}</h2>\n<p class=\"verdict\">{Text(outcome.Verdict)}</p>\n");
        html.Append("<table>\n<caption>Customers and purchase rates by locale</caption>\n<tr><th scope=\"col\">Locale</th><th scope=\"col\">Planned</th><th scope=\"col\">Pending</th><th scope=\"col\">Messaged</th><th scope=\"col\">Held out</th><th scope=\"col\">Bought (messaged)</th><th scope=\"col\">Bought (held out)</th><th scope=\"col\">Uplift, points (95% interval)</th></tr>\n");
        foreach (var row in outcome.ByLocale.Append(outcome with { Locale = "all" }))
        {
            var uplift = row.Uplift is { } u ? $"{ReportFormat.Points(u.Absolute)} ({ReportFormat.Points(u.Low)} to {ReportFormat.Points(u.High)})" : "—";
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Text(row.Locale)}</td><td>{row.Planned:N0}</td><td>{row.Pending:N0}</td><td>{row.Messaged:N0}</td><td>{row.HeldOut:N0}</td><td>{ReportFormat.Percent(row.Conversion.Messaged)}</td><td>{ReportFormat.Percent(row.Conversion.HeldOut)}</td><td>{Text(uplift)}</td></tr>\n");
        }

        html.Append("</table>\n");
        if (outcome.Messaged + outcome.HeldOut > 0)
        {
            html.Append("<figure>").Append(OutcomeCharts.CumulativeConversion(outcome)).Append("</figure>\n");
        }

        if (outcome.RevenuePerCustomer.Count > 0)
        {
            html.Append("<h3>Revenue per customer in the window</h3>\n<table>\n<tr><th scope=\"col\">Currency</th><th scope=\"col\">Messaged</th><th scope=\"col\">Held out</th><th scope=\"col\">Uplift (95% interval)</th><th scope=\"col\">Incremental revenue</th></tr>\n");
            foreach (var (currency, revenue) in outcome.RevenuePerCustomer)
            {
                var uplift = revenue.Uplift is { } u ? $"{ReportFormat.Money(u)} ({ReportFormat.Money(revenue.UpliftLow)} to {ReportFormat.Money(revenue.UpliftHigh)})" : "—";
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Text(currency)}</td><td>{ReportFormat.Money(revenue.Messaged)}</td><td>{ReportFormat.Money(revenue.HeldOut)}</td><td>{Text(uplift)}</td><td>{ReportFormat.Money(revenue.IncrementalRevenue)}</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        var events = outcome.Events;
        var rates = events.Rates;
        html.Append(CultureInfo.InvariantCulture, $"<h3>Delivery ({events.Sent:N0} sent)</h3>\n<table>\n<tr><th scope=\"col\">Report</th><th scope=\"col\">Messages</th><th scope=\"col\">Share</th></tr>\n");
        foreach (var (name, count, rate) in new[]
        {
            ("Delivered", events.Delivered, rates.Delivered), ("Bounced", events.Bounced, rates.Bounced), ("Dropped", events.Dropped, rates.Dropped),
            ("Opened (not used for uplift)", events.Opened, rates.Opened), ("Clicked", events.Clicked, rates.Clicked),
            ("Unsubscribed", events.Unsubscribed, rates.Unsubscribed), ("Spam reports", events.SpamReports, rates.SpamReports),
        })
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{name}</td><td>{count:N0}</td><td>{ReportFormat.Percent(rate)}</td></tr>\n");
        }

        html.Append("</table>\n</section>\n");
    }

    private static string Text(string? value) => WebUtility.HtmlEncode(value ?? "");
}
