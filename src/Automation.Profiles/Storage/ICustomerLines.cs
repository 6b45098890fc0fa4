using Automation.Profiles.Changes;

namespace Automation.Profiles.Storage;

/// <summary>
/// The transaction lines a store recorded for one customer, each with the export and line it came
/// from: what an access request lists beside the profile's aggregates.
/// </summary>
public interface ICustomerLines
{
    /// <summary>In transaction id, then line order.</summary>
    IAsyncEnumerable<StoredLine> ReadLinesAsync(string customerId, CancellationToken cancellationToken = default);
}

/// <param name="Line">The line number within the transaction, or <c>null</c> for an export without line numbers.</param>
/// <param name="Source">The export (its content id) and line that recorded it.</param>
public sealed record StoredLine(string TransactionId, string? Line, string? Category, LineSource Source);
