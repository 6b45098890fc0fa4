using System.CommandLine;
using Automation.Hosting;
using Automation.Hosting.Telemetry;
using Automation.Service;
using Automation.Service.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Automation.Cli.Commands;

/// <summary>The pipeline as a long-running service on one machine, on the same settings as every other command.</summary>
internal static class ServeCommand
{
    /// <summary>Within the command line's own grace period (Program.cs), so that delivery can finish the batch it handed over.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(25);

    public static Command Create()
    {
        var command = new Command("serve",
            $"Run as a service: ingest exports as they arrive in the inbox ({ServiceSettings.InboxKey}), plan on the schedule " +
            $"({ServiceSettings.Section}:PlanSchedule), deliver continuously. Ctrl+C or SIGTERM stops it between units of work.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            // A change of settings in the console stops the host to start it again on the changed file, in this process.
            while (true)
            {
                using var host = Build(parse);
                host.Services.ValidateAutomationSettings(sending: true);
                var service = host.Services.GetServices<IHostedService>().OfType<AutomationService>().Single();
                try
                {
                    await host.StartAsync(cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Stopped while starting (again, after a change of settings): nothing had begun.
                    return ExitCodes.Success;
                }

                await host.WaitForShutdownAsync(cancellationToken);
                if (service.ExecuteTask is { IsFaulted: true }) return ExitCodes.Failure;
                if (cancellationToken.IsCancellationRequested || !host.Services.GetRequiredService<ServeRestart>().Requested) return ExitCodes.Success;
            }
        });
        return command;
    }

    private static IHost Build(ParseResult parse)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = Environment.CurrentDirectory });
        builder.Configuration.AddConfiguration(CliHost.BuildConfiguration(parse));
        builder.Logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
            console.UseUtcTimestamp = true;
        });
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);
        builder.Services.AddAutomationService(builder.Configuration)
            .AddServeSettingsFile(CliHost.SettingsFile(parse), content => CliHost.BuildConfiguration(parse, content));
        if (TelemetryServiceCollectionExtensions.ExportsOverOtlp(builder.Configuration)) builder.Services.AddAutomationTelemetry(builder.Configuration);
        return builder.Build();
    }
}
