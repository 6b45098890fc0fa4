// Blob-created events on the exports container go to IngestExport. Deployed after the code (azure.yaml's
// postdeploy hook): the endpoint needs the blob extension's system key, which exists only then.
param functionAppName string
param systemTopicName string
param exportsContainer string = 'exports'

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource systemTopic 'Microsoft.EventGrid/systemTopics@2022-06-15' existing = {
  name: systemTopicName
}

var blobsExtensionKey = listKeys('${functionApp.id}/host/default', '2024-04-01').systemKeys.blobs_extension

resource exportsToIngest 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2022-06-15' = {
  parent: systemTopic
  name: 'exports-to-ingest'
  properties: {
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: 'https://${functionApp.properties.defaultHostName}/runtime/webhooks/blobs?functionName=Host.Functions.IngestExport&code=${blobsExtensionKey}'
      }
    }
    filter: {
      includedEventTypes: ['Microsoft.Storage.BlobCreated']
      subjectBeginsWith: '/blobServices/default/containers/${exportsContainer}/'
      // The pipeline's own reports land in the same container and must not be ingested.
      advancedFilters: [
        { operatorType: 'StringNotEndsWith', key: 'subject', values: ['.rejected.csv', '.report.json'] }
      ]
    }
    retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 }
  }
}
