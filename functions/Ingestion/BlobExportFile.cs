using Automation.Ingestion;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Automation.Functions.Ingestion;

/// <summary>An export in blob storage; reports are written as blobs next to it in the same container.</summary>
internal sealed class BlobExportFile(Stream trigger, BlobClient export) : IExportFile
{
    private bool _triggerStreamUsed;

    public string Name => export.Name;

    public long? Length => trigger.CanSeek ? trigger.Length : null;

    /// <summary>
    /// The first read uses the stream the trigger bound; ingestion reads twice (the content id, then
    /// the rows), and the second read opens the blob again, streaming, never loading it whole.
    /// </summary>
    public async Task<Stream> OpenReadAsync(CancellationToken cancellationToken)
    {
        if (!_triggerStreamUsed)
        {
            _triggerStreamUsed = true;
            return trigger;
        }

        return await export.OpenReadAsync(new BlobOpenReadOptions(allowModifications: false), cancellationToken);
    }

    public async Task<Stream> CreateReportAsync(string reportName, CancellationToken cancellationToken) =>
        await export.GetParentBlobContainerClient().GetBlobClient(reportName).OpenWriteAsync(overwrite: true, cancellationToken: cancellationToken);
}
