namespace Automation.Functions;

/// <summary>The consents gate stopped a plan shard or a delivery batch; failing the invocation makes the queue offer it again later.</summary>
public sealed class ConsentsGateClosedException(string message) : Exception(message);
