using System.CommandLine;
using System.Text.Json;
using Automation.Delivery.SendGrid.EventWebhook;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Automation.Cli.Commands;

/// <summary>
/// Applies a saved SendGrid event webhook body: the same handling as the webhook the Functions app
/// exposes. With the signature and timestamp headers it is verified like a live request; without them
/// the file is trusted as the operator's own.
/// </summary>
internal static class FeedbackCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("events") { Description = "A SendGrid event webhook body: a JSON array of events." };
        var signature = new Option<string?>("--signature") { Description = $"The {EventWebhookVerifier.SignatureHeader} header, to verify the file as a live request." };
        var timestamp = new Option<string?>("--timestamp") { Description = $"The {EventWebhookVerifier.TimestampHeader} header that came with it." };
        var json = GlobalOptions.CreateJson();
        var command = new Command("feedback", "Apply SendGrid events (bounces, spam reports, unsubscribes, deliveries, opens) to consent and the message log.")
        {
            file, signature, timestamp, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetRequiredValue(file);
            if (!path.Exists)
            {
                Console.Error.WriteLine($"{path.FullName} does not exist.");
                return ExitCodes.Failure;
            }

            await using var services = CliHost.Build(parse);
            var handler = services.GetRequiredService<EventWebhookHandler>();
            var body = await File.ReadAllBytesAsync(path.FullName, cancellationToken);
            var signed = parse.GetValue(signature) is not null || parse.GetValue(timestamp) is not null;
            var result = signed
                ? await handler.HandleAsync(parse.GetValue(signature), parse.GetValue(timestamp), body, cancellationToken)
                : await handler.ApplyAsync(body, cancellationToken);
            Write(result, parse.GetValue(json));
            return result.StatusCode == 200 ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static void Write(WebhookResult result, bool asJson)
    {
        if (asJson)
        {
            var summary = result.Summary;
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                status = result.StatusCode,
                message = result.Message,
                received = summary?.Received,
                recorded = summary?.Recorded,
                duplicates = summary?.Duplicates,
                unmatched = summary?.Unmatched,
                malformed = result.MalformedCount,
                malformedEvents = result.Malformed,
                consentChanges = summary?.ConsentChanges,
                unknownTypes = summary?.UnknownTypes,
            }, CliJson.Options));
            return;
        }

        if (result.Summary is not { } applied)
        {
            Console.Error.WriteLine(result.Message);
            return;
        }

        AnsiConsole.MarkupLine(CliFormat.Text($"{CliFormat.Count(applied.Received)} events: {CliFormat.Count(applied.Recorded)} recorded, " +
            $"{CliFormat.Count(applied.Duplicates)} duplicates, {CliFormat.Count(applied.Unmatched)} without a message of ours, {CliFormat.Count(result.MalformedCount)} malformed"));
        foreach (var why in result.Malformed ?? []) AnsiConsole.MarkupLine(CliFormat.Text($"  [malformed, skipped] {why}"));
        foreach (var (type, count) in applied.ConsentChanges) AnsiConsole.MarkupLine(CliFormat.Text($"  consent changed by {type}: {CliFormat.Count(count)}"));
        foreach (var (type, count) in applied.UnknownTypes) AnsiConsole.MarkupLine(CliFormat.Text($"  [unknown event type, recorded] {type}: {CliFormat.Count(count)}"));
    }
}
