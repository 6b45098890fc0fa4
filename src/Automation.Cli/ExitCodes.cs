namespace Automation.Cli;

internal static class ExitCodes
{
    public const int Success = 0;
    /// <summary>Something could not be processed (a file unreadable or of unknown kind, a customer not found).</summary>
    public const int Failure = 1;
    /// <summary>The command line or the settings are wrong.</summary>
    public const int Usage = 2;
}
