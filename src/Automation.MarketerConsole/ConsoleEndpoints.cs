using Automation.MarketerConsole.Pages;
using Automation.MarketerConsole.Settings;
using Automation.MarketerConsole.Text;
using Automation.Messages;
using Automation.Personalization;
using Automation.Planning;
using Automation.Planning.Days;
using Automation.Planning.Policies;
using Automation.Profiles.Model;
using Automation.Profiles.Storage;
using Automation.Planning.Mailboxes;
using Automation.Profiles.Mailboxes;
using Automation.Reporting.Outcomes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;

namespace Automation.MarketerConsole;

/// <summary>
/// The console's pages under its root (<c>/console</c> on <c>serve</c>, <c>/api/console</c> in the
/// Functions app): each answers only a request its host's <see cref="IConsoleGate"/> admits; anyone else
/// is sent to sign in and sees nothing of any customer. The pages read what the product's services
/// already know, from the application's own container.
/// </summary>
public static class ConsoleEndpoints
{
    public const string Route = "console";

    /// <summary>The routes on <c>serve</c>'s listener: <c>{basePath}/console/…</c>, signed in with the access key.</summary>
    public static void Map(IEndpointRouteBuilder app, string basePath, ConsoleAccess access, IServiceProvider services)
    {
        var root = $"{basePath}/{Route}";
        app.MapMethods(root, [HttpMethods.Get], (HttpContext context) => HandleAsync(context, root, "", access, services));
        app.MapMethods($"{root}/{{page}}", [HttpMethods.Get, HttpMethods.Post], (HttpContext context, string page) => HandleAsync(context, root, page, access, services));
    }

    /// <summary>
    /// One console request, whichever host received it: <paramref name="page"/> is the path under
    /// <paramref name="root"/> (the console's own address, such as <c>/console</c> or <c>/api/console</c>).
    /// </summary>
    public static Task HandleAsync(HttpContext context, string root, string page, IConsoleGate gate, IServiceProvider services)
    {
        var post = HttpMethods.IsPost(context.Request.Method);
        ConsoleText.Remember(context, CookiePath(root));
        return (page, post) switch
        {
            ("sign-in", false) when gate is ConsoleAccess => ConsoleRenderer.WriteAsync<SignInPage>(context, new() { ["Base"] = root, ["Then"] = SafeThen(root, context.Request.Query["then"]) }),
            ("sign-in", true) when gate is ConsoleAccess access => SignInAsync(context, root, access),
            ("sign-out", true) when gate is ConsoleAccess => SignOut(context, root),
            ("" or "customer", false) => Guarded(context, root, gate, () => CustomerAsync(context, root, gate, services, context.Request.Query["id"], null)),
            ("customer", true) => Guarded(context, root, gate, async () =>
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                await CustomerAsync(context, root, gate, services, null, form["email"]);
            }),
            ("outcomes", false) => Guarded(context, root, gate, () => OutcomesAsync(context, root, gate, services)),
            ("plan", false) => Guarded(context, root, gate, () => PlanAsync(context, root, gate, services)),
            ("message", false) => Guarded(context, root, gate, () => MessageAsync(context, root, gate, services)),
            ("templates", false) => Guarded(context, root, gate, () => TemplatesAsync(context, root, gate, services)),
            ("settings", false) => Guarded(context, root, gate, () => SettingsAsync(context, root, gate, services, null)),
            ("settings", true) => Guarded(context, root, gate, async () =>
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                await SettingsAsync(context, root, gate, services, form);
            }),
            _ => NotFound(context),
        };
    }

    private static Task NotFound(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    private static async Task SignInAsync(HttpContext context, string root, ConsoleAccess access)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var then = SafeThen(root, form["then"]);
        if (!access.IsKey(form["key"]))
        {
            await ConsoleRenderer.WriteAsync<SignInPage>(context, new() { ["Base"] = root, ["Failed"] = true, ["Then"] = then }, StatusCodes.Status401Unauthorized);
            return;
        }

        access.SignIn(context, CookiePath(root));
        context.Response.Redirect(then);
    }

    private static Task SignOut(HttpContext context, string root)
    {
        ConsoleAccess.SignOut(context, CookiePath(root));
        context.Response.Redirect($"{root}/sign-in");
        return Task.CompletedTask;
    }

    private static async Task Guarded(HttpContext context, string root, IConsoleGate gate, Func<Task> page)
    {
        if (gate.Admits(context.Request))
        {
            await page();
            return;
        }

        // A browser is sent to sign in and brought back; whatever it asked for is not answered.
        var back = HttpMethods.IsGet(context.Request.Method) ? (context.Request.PathBase + context.Request.Path + context.Request.QueryString).ToString() : $"{root}/customer";
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = gate.SignInUrl(root, back);
    }

    /// <summary>The day the next plan plans: what a page shows when no day is asked for.</summary>
    private static LocalDate DayAhead(IServiceProvider services) => PlanningDays.Ahead(services.GetRequiredService<IClock>().GetCurrentInstant());

    /// <summary>The <c>date</c> of the query, or the day ahead when there is none or it is wrong (then with the sentence saying why, for the page to use).</summary>
    private static (LocalDate Day, string? Problem) DayAsked(HttpContext context, IServiceProvider services)
    {
        if (context.Request.Query["date"].ToString() is not { Length: > 0 } text) return (DayAhead(services), null);
        var parsed = LocalDatePattern.Iso.Parse(text);
        return parsed.Success ? (parsed.Value, null) : (DayAhead(services), ConsoleText.Of(context).Format("The day must be a date as YYYY-MM-DD, got '{0}'", text));
    }

    /// <summary>The console's parent path: the session is good for the report beside the console too.</summary>
    private static string CookiePath(string root) => root.LastIndexOf('/') is > 0 and var slash ? root[..slash] : "/";

    /// <summary>Only a console page to go on to after sign-in: never another site.</summary>
    private static string SafeThen(string root, string? then) =>
        then is { Length: > 0 } && then.StartsWith(root + "/", StringComparison.Ordinal) && !then.Contains("//", StringComparison.Ordinal) && !then.Contains('\\', StringComparison.Ordinal)
            ? then
            : $"{root}/customer";

    private static async Task CustomerAsync(HttpContext context, string root, IConsoleGate gate, IServiceProvider services, string? id, string? email)
    {
        var (today, wrongDay) = DayAsked(context, services);
        var parameters = new Dictionary<string, object?> { ["Base"] = root, ["SignOut"] = gate.SignOutUrl(root), ["Id"] = id, ["Date"] = today };
        if (wrongDay is not null)
        {
            parameters["Problem"] = wrongDay + ".";
            await ConsoleRenderer.WriteAsync<CustomerPage>(context, parameters, StatusCodes.Status400BadRequest);
            return;
        }

        if (email is { Length: > 0 })
        {
            var holders = MailboxKeys.Of(email) is { } key && await services.GetRequiredService<IMailboxes>().GetAsync(key, context.RequestAborted) is { } mailbox
                ? mailbox.Holders
                : [];
            if (holders.Count == 1) id = holders[0];
            else if (holders.Count > 1) parameters["Holders"] = holders;
            else parameters["Problem"] = ConsoleText.Of(context)["No customer has this address."];
        }

        if (id is { Length: > 0 })
        {
            parameters["Id"] = id;
            var day = await CustomerDay.LoadAsync(services, id, today, context.RequestAborted);
            if (day is null) parameters["Problem"] = ConsoleText.Of(context).Format("No customer with id '{0}' in the store.", id);
            else parameters["Previews"] = MessagePreview.Of(day, services.GetRequiredService<MessageRenderer>());
            parameters["Day"] = day;
        }

        await ConsoleRenderer.WriteAsync<CustomerPage>(context, parameters, parameters.ContainsKey("Problem") ? StatusCodes.Status404NotFound : StatusCodes.Status200OK);
    }

    /// <summary>A day's recorded plan (one read), or on request a dry run of it (a pass over every customer that records nothing).</summary>
    private static async Task PlanAsync(HttpContext context, string root, IConsoleGate gate, IServiceProvider services)
    {
        var query = context.Request.Query;
        var (day, wrongDay) = DayAsked(context, services);
        var parameters = new Dictionary<string, object?>
        {
            ["Base"] = root, ["SignOut"] = gate.SignOutUrl(root),
            ["Trigger"] = query["trigger"].ToString(), ["Locale"] = query["locale"].ToString(), ["Reason"] = query["reason"].ToString(),
        };
        if (wrongDay is not null)
        {
            parameters["Date"] = query["date"].ToString();
            parameters["Problem"] = wrongDay + ".";
            await ConsoleRenderer.WriteAsync<PlanPage>(context, parameters, StatusCodes.Status400BadRequest);
            return;
        }

        parameters["Date"] = LocalDatePattern.Iso.Format(day);
        if (query["dry-run"] == "true")
        {
            var summary = await services.GetRequiredService<PlanningService>().PlanAsync(day, dryRun: true, cancellationToken: context.RequestAborted);
            parameters["DryRun"] = true;
            if (summary.BlockedBy.Count > 0) parameters["Problem"] = ConsoleText.Of(context).Format("Nothing can be planned while consents exports are not completely ingested: {0}.", summary.BlockedBy.Count);
            else parameters["Record"] = summary.Record;
        }
        else
        {
            parameters["Record"] = await services.GetRequiredService<IPlanRecords>().ReadAsync(day, context.RequestAborted);
        }

        await ConsoleRenderer.WriteAsync<PlanPage>(context, parameters);
    }

    /// <summary>A message's customer, on the day the message belongs to: how the Plan page's samples, which name no customer, lead to one.</summary>
    private static async Task MessageAsync(HttpContext context, string root, IConsoleGate gate, IServiceProvider services)
    {
        var id = context.Request.Query["id"].ToString();
        if (id.Length > 0 && await services.GetRequiredService<IMessageLog>().FindAsync(new MessageId(id), context.RequestAborted) is { } message)
        {
            context.Response.Redirect($"{root}/customer?id={Uri.EscapeDataString(message.CustomerId.Value)}&date={LocalDatePattern.Iso.Format(message.PlannedFor)}");
            return;
        }

        await ConsoleRenderer.WriteAsync<CustomerPage>(context, new()
        {
            ["Base"] = root, ["SignOut"] = gate.SignOutUrl(root), ["Date"] = DayAhead(services), ["Problem"] = ConsoleText.Of(context).Format("No message with id '{0}' in the log.", id),
        }, StatusCodes.Status404NotFound);
    }

    private static async Task TemplatesAsync(HttpContext context, string root, IConsoleGate gate, IServiceProvider services)
    {
        var query = context.Request.Query;
        var (day, wrongDay) = DayAsked(context, services);
        var parameters = new Dictionary<string, object?>
        {
            ["Base"] = root, ["SignOut"] = gate.SignOutUrl(root), ["Id"] = query["id"].ToString(), ["Trigger"] = query["trigger"].ToString(), ["Locale"] = query["locale"].ToString(),
        };
        if (wrongDay is not null) parameters["Problem"] = ConsoleText.Of(context).Format("{0}; showing {1}.", wrongDay, LocalDatePattern.Iso.Format(day));

        parameters["Date"] = LocalDatePattern.Iso.Format(day);
        CustomerProfile? customer = null;
        if (query["id"].ToString() is { Length: > 0 } id)
        {
            customer = await services.GetRequiredService<ICustomerProfileStore>().GetAsync(id, context.RequestAborted);
            if (customer is null) parameters["Problem"] = ConsoleText.Of(context).Format("No customer with id '{0}' in the store; showing a made-up customer.", id);
        }

        // The locales customers have and the fields they lack, from the day's recorded plan: no page reads every profile.
        var record = await services.GetRequiredService<IPlanRecords>().ReadAsync(day, context.RequestAborted);
        parameters["Showings"] = TemplateShowcase.Render(
            services.GetRequiredService<CustomerPlanner>().Triggers, services.GetRequiredService<MessageRenderer>(), record, customer, day, ConsoleText.Of(context));
        await ConsoleRenderer.WriteAsync<TemplatesPage>(context, parameters);
    }

    /// <summary>
    /// The settings in force; with a form, a change previewed (checked as at start, then its effect on the
    /// day ahead's plan) or, where the host has a settings file, applied: written, recorded, and the host
    /// started again on it once this answer has gone.
    /// </summary>
    private static async Task SettingsAsync(HttpContext context, string root, IConsoleGate gate, IServiceProvider services, IFormCollection? form)
    {
        var file = services.GetService<ISettingsFile>();
        // The plan a change would first make: the day ahead, or the day after it once the day ahead is planned.
        var planned = await services.GetRequiredService<IPlannedDays>().ReadAsync(context.RequestAborted);
        var day = DayAhead(services);
        while (planned.Contains(day)) day = day.PlusDays(1);
        var parameters = new Dictionary<string, object?> { ["Base"] = root, ["SignOut"] = gate.SignOutUrl(root), ["NextPlan"] = day, ["SettingsFile"] = file?.Path };
        var status = StatusCodes.Status200OK;
        if (form is not null)
        {
            var host = services.GetService<ISettingsHost>();
            var apply = form["action"] == "apply";
            if (host is null || (apply && file is null))
            {
                await NotFound(context);
                return;
            }

            var change = new SettingsChange(form["key"].ToString().Trim(), form["value"].ToString());
            // Applying checks and plans again: what is written is what a start would accept on today's data.
            var preview = await SettingsPreview.OfAsync(services, host, change, day, context.RequestAborted);
            parameters["Preview"] = preview;
            if (!preview.CanApply) status = StatusCodes.Status400BadRequest;
            else if (apply)
            {
                await file!.ApplyAsync(preview.Change, preview.Effect!.Sentence(), context.RequestAborted);
                parameters["Applied"] = true;
                context.Response.OnCompleted(() =>
                {
                    file.TakeEffect();
                    return Task.CompletedTask;
                });
            }
        }

        parameters["Settings"] = EffectiveSettings.Of(services.GetRequiredService<IConfiguration>());
        if (file is not null) parameters["History"] = await file.HistoryAsync(context.RequestAborted);
        await ConsoleRenderer.WriteAsync<SettingsPage>(context, parameters, status);
    }

    private static async Task OutcomesAsync(HttpContext context, string root, IConsoleGate gate, IServiceProvider services)
    {
        var query = context.Request.Query;
        var problems = new List<string>();
        var parsed = OutcomeQuery.Parse(query["from"], query["to"], query["as-of"], query["window-days"], query["trigger"],
            services.GetRequiredService<IClock>().GetCurrentInstant().InUtc().Date, problems);
        var parameters = new Dictionary<string, object?>
        {
            ["Base"] = root, ["SignOut"] = gate.SignOutUrl(root), ["Problems"] = problems, ["Trigger"] = query["trigger"].ToString(),
            ["From"] = parsed is null ? query["from"].ToString() : LocalDatePattern.Iso.Format(parsed.From),
            ["To"] = parsed is null ? query["to"].ToString() : LocalDatePattern.Iso.Format(parsed.To),
            ["AsOf"] = parsed is null ? query["as-of"].ToString() : LocalDatePattern.Iso.Format(parsed.AsOf),
            ["WindowDays"] = parsed is null ? query["window-days"].ToString() : parsed.WindowDays.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (parsed is not null) parameters["Report"] = await services.GetRequiredService<OutcomeReport>().BuildAsync(parsed, context.RequestAborted);
        await ConsoleRenderer.WriteAsync<OutcomesPage>(context, parameters, parsed is null ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }
}
