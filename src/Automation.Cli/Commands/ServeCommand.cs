using System.CommandLine;
using Automation.Hosting;
using Automation.Hosting.Telemetry;
using Automation.Service;
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
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = Environment.CurrentDirectory });
            builder.Configuration.AddConfiguration(CliHost.BuildConfiguration(parse));
            builder.Logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
                console.UseUtcTimestamp = true;
            });
            builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);
            builder.Services.AddAutomation(builder.Configuration).AddDataFolderLinkKey(builder.Configuration).AddAutomationService(builder.Configuration);
            if (TelemetryServiceCollectionExtensions.ExportsOverOtlp(builder.Configuration)) builder.Services.AddAutomationTelemetry(builder.Configuration);
            using var host = builder.Build();
            host.Services.ValidateAutomationSettings(sending: true);

            var service = host.Services.GetServices<IHostedService>().OfType<AutomationService>().Single();
            await host.StartAsync(cancellationToken);
            await host.WaitForShutdownAsync(cancellationToken);
            return service.ExecuteTask is { IsFaulted: true } ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }
}
