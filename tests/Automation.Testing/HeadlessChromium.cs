using Microsoft.Playwright;

namespace Automation.Testing;

/// <summary>
/// Debian's chromium, driven by Playwright: Playwright's own browser download is not reachable from
/// here, so it is pointed at the installed executable (.ci/run installs it with apt). A test project
/// that opens pages references Microsoft.Playwright itself: this library keeps it private, so the
/// others do not each get a copy of its driver.
/// </summary>
public static class HeadlessChromium
{
    /// <summary>Where the screenshots go: beside the test assembly, kept with the test output.</summary>
    public static string ScreenshotDirectory => Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var executable = Environment.GetEnvironmentVariable("AUTOMATION_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"No chromium at {executable}: install Debian's (apt-get install -y chromium, as .ci/run does) or set AUTOMATION_CHROMIUM.");
        }

        var playwright = await Playwright.CreateAsync();
        // --no-sandbox: CI runs as root, where chromium refuses its sandbox.
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = executable, Headless = true, Args = ["--no-sandbox"] });
        return (playwright, browser);
    }
}
