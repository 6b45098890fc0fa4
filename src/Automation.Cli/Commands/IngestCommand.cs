using System.CommandLine;
using System.Text.Json;
using Automation.Ingestion;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Automation.Cli.Commands;

internal static class IngestCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Export files, or folders whose exports are ingested in name order.",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = GlobalOptions.CreateJson();
        var command = new Command("ingest", "Ingest customer, transaction and consent exports into the store.") { paths, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = CliHost.Build(parse);
            var ingestion = services.GetRequiredService<IngestionService>();
            var asJson = parse.GetValue(json);
            var results = await IngestAsync(ingestion, parse.GetRequiredValue(paths), showProgress: !asJson && GlobalOptions.IsInteractive, cancellationToken);
            if (asJson) WriteJson(results);
            else WriteTable(results);
            return results.Any(r => r.Status == FileStatus.Failed) ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    public static async Task<List<FileIngestionResult>> IngestAsync(
        IngestionService ingestion, IEnumerable<string> paths, bool showProgress, CancellationToken cancellationToken)
    {
        var results = new List<FileIngestionResult>();
        var files = new List<LocalExportFile>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path)) files.AddRange(LocalExportFile.InFolder(path));
            else if (File.Exists(path)) files.Add(new LocalExportFile(path));
            else results.Add(new FileIngestionResult(Path.GetFileName(path), null, null, 0, 0, 0, 0, 0, FileStatus.Failed, $"{path} does not exist."));
        }

        if (!showProgress)
        {
            foreach (var file in files) results.Add(await ingestion.IngestAsync(file, null, cancellationToken));
            return results;
        }

        await AnsiConsole.Progress().AutoClear(true).StartAsync(async context =>
        {
            foreach (var file in files)
            {
                var task = context.AddTask(CliFormat.Text(file.Name), maxValue: Math.Max(1, file.Length ?? 1));
                var progress = new Progress<IngestionProgress>(p => task.Value = p.BytesRead);
                results.Add(await ingestion.IngestAsync(file, progress, cancellationToken));
                task.Value = task.MaxValue;
            }
        });
        return results;
    }

    private static void WriteJson(List<FileIngestionResult> results) =>
        Console.Out.WriteLine(JsonSerializer.Serialize(new { files = results }, CliJson.Options));

    public static void WriteTable(List<FileIngestionResult> results)
    {
        var table = new Table().AddColumns("File", "Kind", "Rows", "Accepted", "Rejected", "Warnings", "Duplicates", "Status");
        foreach (var r in results)
        {
            var status = r.Status switch
            {
                FileStatus.Completed => "[green]completed[/]",
                FileStatus.Skipped => "[grey]skipped (already ingested)[/]",
                _ => "[red]failed[/]",
            };
            table.AddRow(CliFormat.Text(r.Name), r.Kind ?? "?", CliFormat.Count(r.RowsRead), CliFormat.Count(r.Accepted), CliFormat.Count(r.Rejected), CliFormat.Count(r.Warnings), CliFormat.Count(r.Duplicates), status);
        }

        AnsiConsole.Write(table);
        foreach (var r in results.Where(r => r.Error is not null))
        {
            AnsiConsole.MarkupLine($"[red]{CliFormat.Text(r.Name)}:[/] {CliFormat.Text(r.Error!)}");
        }

        foreach (var r in results)
        {
            if (r.Erasure is { } erasure) AnsiConsole.MarkupLine($"{CliFormat.Text(r.Name)}: {CliFormat.Text(erasure.Describe())}");
            if (r.ErasedRows > 0)
            {
                AnsiConsole.MarkupLine($"{CliFormat.Text(r.Name)}: {CliFormat.Count(r.ErasedRows)} row(s) of erased customers refused (among the rejected, reason erased, listed by line without their content)");
            }
        }

        if (results.Any(r => r.Rejected + r.Warnings > 0))
        {
            AnsiConsole.MarkupLine($"Rejected rows and warnings are listed in [bold]<file>{ReportNames.RejectedSuffix}[/] next to each export.");
        }
    }
}
