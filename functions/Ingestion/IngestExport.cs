using Automation.Hosting;
using Automation.Ingestion;
using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Automation.Functions.Ingestion;

/// <summary>An export lands in the exports container: ingest it; the reports go next to it.</summary>
public sealed class IngestExport(PipelineJobs jobs, ILogger<IngestExport> logger)
{
    [Function(nameof(IngestExport))]
    public async Task RunAsync(
        [BlobTrigger("%ExportsContainer%/{name}", Source = BlobTriggerSource.EventGrid, Connection = "AzureWebJobsStorage")] BlobClient export,
        string name,
        CancellationToken cancellationToken)
    {
        // Reports are blobs in the same container; they must not be ingested themselves.
        if (ReportNames.IsReport(name)) return;
        var properties = await export.GetPropertiesAsync(cancellationToken: cancellationToken);
        var result = await jobs.IngestAsync(new BlobExportFile(export, properties.Value.ContentLength), cancellationToken);
        switch (result.Status)
        {
            case FileStatus.Failed:
                logger.LogWarning("{Export} failed: {Error}", name, result.Error);
                break;
            case FileStatus.Skipped:
                logger.LogInformation("{Export} skipped: this content was ingested before", name);
                break;
            default:
                logger.LogInformation("{Export} ingested: {Accepted} of {Rows} rows accepted, {Rejected} rejected", name, result.Accepted, result.RowsRead, result.Rejected);
                break;
        }
    }
}
