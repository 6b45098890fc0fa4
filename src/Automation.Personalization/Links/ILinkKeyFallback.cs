namespace Automation.Personalization.Links;

/// <summary>
/// Where a host that runs on one machine keeps its own link key when none is configured (the command
/// line and <c>serve</c>: a file in the data folder). A cloud host has none: it must be configured.
/// </summary>
public interface ILinkKeyFallback
{
    LinkKeys Load();
}
