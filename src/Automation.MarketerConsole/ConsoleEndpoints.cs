using Automation.MarketerConsole.Pages;
using Automation.Planning.Days;
using Automation.Planning.Mailboxes;
using Automation.Profiles.Mailboxes;
using Automation.Reporting.Outcomes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;

namespace Automation.MarketerConsole;

/// <summary>
/// The console's routes under <c>{base}/console</c>: sign-in, and the pages, each of which answers
/// only a signed-in browser (or a request carrying the key); anyone else is sent to sign in and sees
/// nothing of any customer. The pages read what the product's services already know, through
/// <paramref name="services"/>, the application's own container.
/// </summary>
public static class ConsoleEndpoints
{
    public const string Route = "console";

    public static void Map(IEndpointRouteBuilder app, string basePath, ConsoleAccess access, IServiceProvider services)
    {
        var root = $"{basePath}/{Route}";
        app.MapGet(root, (HttpContext context) => Guarded(context, access, root, () =>
        {
            context.Response.Redirect($"{root}/customer");
            return Task.CompletedTask;
        }));
        app.MapGet($"{root}/sign-in", (HttpContext context) =>
            ConsoleRenderer.WriteAsync<SignInPage>(context, new() { ["Base"] = root, ["Then"] = SafeThen(root, context.Request.Query["then"]) }));
        app.MapPost($"{root}/sign-in", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var then = SafeThen(root, form["then"]);
            if (!access.IsKey(form["key"]))
            {
                await ConsoleRenderer.WriteAsync<SignInPage>(context, new() { ["Base"] = root, ["Failed"] = true, ["Then"] = then }, StatusCodes.Status401Unauthorized);
                return;
            }

            access.SignIn(context, root);
            context.Response.Redirect(then);
        });
        app.MapPost($"{root}/sign-out", (HttpContext context) =>
        {
            ConsoleAccess.SignOut(context, root);
            context.Response.Redirect($"{root}/sign-in");
        });
        app.MapGet($"{root}/customer", (HttpContext context) => Guarded(context, access, root, () => CustomerAsync(context, root, services, context.Request.Query["id"], null)));
        app.MapPost($"{root}/customer", (HttpContext context) => Guarded(context, access, root, async () =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            await CustomerAsync(context, root, services, null, form["email"]);
        }));
        app.MapGet($"{root}/outcomes", (HttpContext context) => Guarded(context, access, root, () => OutcomesAsync(context, root, services)));
    }

    private static async Task Guarded(HttpContext context, ConsoleAccess access, string root, Func<Task> page)
    {
        if (access.IsSignedIn(context.Request))
        {
            await page();
            return;
        }

        // A browser is sent to sign in and brought back; whatever it asked for is not answered.
        var back = HttpMethods.IsGet(context.Request.Method) ? (context.Request.Path + context.Request.QueryString).ToString() : $"{root}/customer";
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = $"{root}/sign-in?then={Uri.EscapeDataString(back)}";
    }

    /// <summary>Only a console page to go on to after sign-in: never another site.</summary>
    private static string SafeThen(string root, string? then) =>
        then is { Length: > 0 } && then.StartsWith(root + "/", StringComparison.Ordinal) && !then.Contains("//", StringComparison.Ordinal) && !then.Contains('\\', StringComparison.Ordinal)
            ? then
            : $"{root}/customer";

    private static async Task CustomerAsync(HttpContext context, string root, IServiceProvider services, string? id, string? email)
    {
        var today = PlanningDays.Ahead(services.GetRequiredService<IClock>().GetCurrentInstant());
        var parameters = new Dictionary<string, object?> { ["Base"] = root, ["Id"] = id, ["Date"] = today };
        if (context.Request.Query["date"].ToString() is { Length: > 0 } dateText)
        {
            var parsed = LocalDatePattern.Iso.Parse(dateText);
            if (!parsed.Success)
            {
                parameters["Problem"] = $"The day must be a date as YYYY-MM-DD, got '{dateText}'.";
                await ConsoleRenderer.WriteAsync<CustomerPage>(context, parameters, StatusCodes.Status400BadRequest);
                return;
            }

            parameters["Date"] = today = parsed.Value;
        }

        if (email is { Length: > 0 })
        {
            var holders = MailboxKeys.Of(email) is { } key && await services.GetRequiredService<IMailboxes>().GetAsync(key, context.RequestAborted) is { } mailbox
                ? mailbox.Holders
                : [];
            if (holders.Count == 1) id = holders[0];
            else if (holders.Count > 1) parameters["Holders"] = holders;
            else parameters["Problem"] = "No customer has this address.";
        }

        if (id is { Length: > 0 })
        {
            parameters["Id"] = id;
            var day = await CustomerDay.LoadAsync(services, id, today, context.RequestAborted);
            if (day is null) parameters["Problem"] = $"No customer with id '{id}' in the store.";
            parameters["Day"] = day;
        }

        await ConsoleRenderer.WriteAsync<CustomerPage>(context, parameters, parameters.ContainsKey("Problem") ? StatusCodes.Status404NotFound : StatusCodes.Status200OK);
    }

    private static async Task OutcomesAsync(HttpContext context, string root, IServiceProvider services)
    {
        var query = context.Request.Query;
        var problems = new List<string>();
        var parsed = OutcomeQuery.Parse(query["from"], query["to"], query["as-of"], query["window-days"], query["trigger"],
            services.GetRequiredService<IClock>().GetCurrentInstant().InUtc().Date, problems);
        var parameters = new Dictionary<string, object?>
        {
            ["Base"] = root, ["Problems"] = problems, ["Trigger"] = query["trigger"].ToString(),
            ["From"] = parsed is null ? query["from"].ToString() : LocalDatePattern.Iso.Format(parsed.From),
            ["To"] = parsed is null ? query["to"].ToString() : LocalDatePattern.Iso.Format(parsed.To),
            ["AsOf"] = parsed is null ? query["as-of"].ToString() : LocalDatePattern.Iso.Format(parsed.AsOf),
            ["WindowDays"] = parsed is null ? query["window-days"].ToString() : parsed.WindowDays.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (parsed is not null) parameters["Report"] = await services.GetRequiredService<OutcomeReport>().BuildAsync(parsed, context.RequestAborted);
        await ConsoleRenderer.WriteAsync<OutcomesPage>(context, parameters, parsed is null ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }
}
