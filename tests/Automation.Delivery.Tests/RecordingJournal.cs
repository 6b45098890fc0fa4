namespace Automation.Delivery.Tests;

/// <summary>A journal that keeps what a sender reported, for tests of a sender alone.</summary>
internal sealed class RecordingJournal : ISendJournal
{
    public List<string> Marked { get; } = [];
    public List<SendOutcome> Outcomes { get; } = [];

    public Task SendingAsync(IEnumerable<OutgoingMessage> messages, CancellationToken cancellationToken = default)
    {
        Marked.AddRange(messages.Select(m => m.Message.MessageId.Value));
        return Task.CompletedTask;
    }

    public Task RecordAsync(IReadOnlyList<SendOutcome> outcomes, CancellationToken cancellationToken = default)
    {
        Outcomes.AddRange(outcomes);
        return Task.CompletedTask;
    }
}
