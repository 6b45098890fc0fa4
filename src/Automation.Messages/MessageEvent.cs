using NodaTime;

namespace Automation.Messages;

/// <summary>
/// One report from the delivery provider about a sent message.
/// </summary>
/// <param name="Type">The provider's event name (delivered, open, bounce...); unknown names are kept as they came.</param>
/// <param name="ProviderEventId">The provider's id of the event, when it gives one (it may change on retries).</param>
/// <param name="Detail">The provider's reason or response, with email addresses masked.</param>
public sealed record MessageEvent(string Type, Instant At, string? ProviderEventId, string? Detail);
