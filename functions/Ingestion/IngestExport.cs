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
        [BlobTrigger("%ExportsContainer%/{name}", Source = BlobTriggerSource.EventGrid, Connection = "AzureWebJobsStorage")] Stream export,
        [BlobInput("%ExportsContainer%/{name}", Connection = "AzureWebJobsStorage")] BlobClient blob,
        string name,
        CancellationToken cancellationToken)
    {
        // Reports are blobs in the same container; they must not be ingested themselves.
        if (ReportNames.IsReport(name)) return;
        var result = await jobs.IngestAsync(new BlobExportFile(export, blob), cancellationToken);
        if (result.Status == FileStatus.Failed) logger.LogWarning("{Export} failed: {Error}", name, result.Error);
    }
}
