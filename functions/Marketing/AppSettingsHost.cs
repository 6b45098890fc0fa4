using Automation.Hosting;
using Automation.MarketerConsole.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace Automation.Functions.Marketing;

/// <summary>
/// The Functions app's settings as the console previews a change: app settings are the environment,
/// read after everything else, so the app would start with the change laid over what it has now.
/// The console does not make the change (the app's identity has no right to its own configuration);
/// it names the app setting to change in Azure.
/// </summary>
public sealed class AppSettingsHost(IConfiguration configuration, IClock clock) : ISettingsHost
{
    public IConfiguration With(SettingsChange change) =>
        // A null value hides whatever set the key before: the app setting removed, the default applies.
        new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection([new(change.Key, change.Value)]).Build();

    public ServiceProvider Compose(IConfiguration changed) =>
        new ServiceCollection().AddLogging().AddSingleton(changed).AddSingleton(clock).AddAutomation(changed).BuildCheckedProvider();
}
