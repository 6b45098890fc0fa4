using Automation.Ingestion;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Automation.Functions.Ingestion;

/// <summary>An export in blob storage; reports are written as blobs next to it in the same container.</summary>
internal sealed class BlobExportFile(BlobClient export, long length) : IExportFile
{
    public string Name => export.Name;

    public long? Length => length;

    /// <summary>
    /// Ingestion reads twice (the content id, then the rows); each read streams the blob in blocks and
    /// never loads it whole. A blob changed between the two reads fails the second, so the content id
    /// always names the rows that were ingested.
    /// </summary>
    public async Task<Stream> OpenReadAsync(CancellationToken cancellationToken) =>
        await export.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), cancellationToken);

    public async Task<Stream> CreateReportAsync(string reportName, CancellationToken cancellationToken) =>
        await export.GetParentBlobContainerClient().GetBlobClient(reportName).OpenWriteAsync(overwrite: true, cancellationToken: cancellationToken);
}
