// The resources of one environment, in one resource group. Every connection is identity-based: the
// storage account refuses shared keys, Cosmos DB refuses keys, secrets are Key Vault references.
param location string
param tags object
@minLength(13)
param resourceToken string
param cosmosCapacity string
param cosmosAutoscaleMaxThroughput int
param defaultTimeZone string
param fromAddress string
param publicBaseUrl string
@secure()
param linkKey string
param sendGridUnsubscribeGroupId string
@secure()
param sendGridApiKey string
param sendGridWebhookPublicKey string
param principalId string
param consoleClientId string

var exportsContainer = 'exports'
var deploymentContainer = 'deployment'
var workQueues = ['plan-shards', 'deliveries']
var databaseName = 'automation'
// docs/data-model.md: partition keys, TTLs in seconds (null: never expires; -1: on, each document's
// own ttl), indexing. Retention of messages, sends and ingestion records: 400 days, the defaults of
// Automation:Cosmos:MessageRetentionDays and IngestionRecordRetentionDays (a test holds both equal).
var retentionDays = 400
var cosmosContainers = [
  { name: 'profiles', partitionKey: '/customerId', ttl: null }
  { name: 'messages', partitionKey: '/customerId', ttl: 34560000 }
  { name: 'deliveries', partitionKey: '/customerId', ttl: null }
  { name: 'ingestions', partitionKey: '/id', ttl: 34560000 }
  { name: 'sends', partitionKey: '/id', ttl: 34560000 }
  { name: 'context', partitionKey: '/partition', ttl: -1 }
  { name: 'mailboxes', partitionKey: '/partition', ttl: -1 }
  { name: 'erasures', partitionKey: '/id', ttl: null }
]

// Built-in role definitions (ids are the same in every tenant).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  storageAccountContributor: '17d1049b-9a84-46fb-8f53-869881c3d3ab'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}
// Cosmos DB Built-in Data Contributor: read and write items, no control-plane rights.
var cosmosDataContributor = '00000000-0000-0000-0000-000000000002'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-automation-${resourceToken}'
  location: location
  tags: tags
}

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${resourceToken}'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${resourceToken}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    // Telemetry is sent with the identity's token, never with the instrumentation key alone.
    DisableLocalAuth: true
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'st${resourceToken}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }

  resource blobs 'blobServices' = {
    name: 'default'

    resource exports 'containers' = {
      name: exportsContainer
    }

    resource deployment 'containers' = {
      name: deploymentContainer
    }
  }

  resource queues 'queueServices' = {
    name: 'default'

    resource work 'queues' = [for queue in workQueues: {
      name: queue
    }]

    // The Functions host moves a message here after maxDequeueCount failures (host.json).
    resource poison 'queues' = [for queue in workQueues: {
      name: '${queue}-poison'
    }]
  }
}

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: 'cosmos-${resourceToken}'
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [{ locationName: location, failoverPriority: 0 }]
    consistencyPolicy: { defaultConsistencyLevel: 'Session' }
    capabilities: cosmosCapacity == 'serverless' ? [{ name: 'EnableServerless' }] : []
    disableLocalAuth: true
    minimalTlsVersion: 'Tls12'
  }

  resource database 'sqlDatabases' = {
    name: databaseName
    properties: {
      resource: { id: databaseName }
      options: cosmosCapacity == 'autoscale' ? { autoscaleSettings: { maxThroughput: cosmosAutoscaleMaxThroughput } } : {}
    }

    resource containers 'containers' = [for container in cosmosContainers: {
      name: container.name
      properties: {
        resource: {
          id: container.name
          partitionKey: { paths: [container.partitionKey], kind: 'Hash', version: 2 }
          defaultTtl: container.ttl
          // Nothing filters on a document property: only the partition key path is indexed.
          indexingPolicy: {
            automatic: true
            indexingMode: 'consistent'
            includedPaths: [{ path: '${container.partitionKey}/?' }]
            excludedPaths: [{ path: '/*' }]
          }
        }
      }
    }]
  }
}

resource cosmosDataAccess 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: cosmos
  name: guid(cosmos.id, identity.id, cosmosDataContributor)
  properties: {
    principalId: identity.properties.principalId
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${cosmosDataContributor}'
    scope: '${cosmos.id}/dbs/${databaseName}'
  }
}

resource cosmosDataAccessForDeveloper 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = if (!empty(principalId)) {
  parent: cosmos
  name: guid(cosmos.id, principalId, cosmosDataContributor)
  properties: {
    principalId: principalId
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${cosmosDataContributor}'
    scope: '${cosmos.id}/dbs/${databaseName}'
  }
}

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-${resourceToken}'
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
  }

  resource sendGridKey 'secrets' = if (!empty(sendGridApiKey)) {
    name: 'sendgrid-api-key'
    properties: { value: sendGridApiKey }
  }

  resource linkKeySecret 'secrets' = if (!empty(linkKey)) {
    name: 'link-key'
    properties: { value: linkKey }
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${resourceToken}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

var storageConnection = {
  AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
  AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
  // The host writes its diagnostic events to table storage (AZFD0003 without it).
  AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.properties.clientId
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: 'func-${resourceToken}'
  location: location
  tags: union(tags, { 'azd-service-name': 'functions' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: { type: 'UserAssignedIdentity', userAssignedIdentityResourceId: identity.id }
        }
      }
      scaleAndConcurrency: { instanceMemoryMB: 2048, maximumInstanceCount: 40 }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: union(storageConnection, {
      // DefaultAzureCredential (the Cosmos DB client) picks the user-assigned identity by this id.
      AZURE_CLIENT_ID: identity.properties.clientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
      ExportsContainer: exportsContainer
      // NCRONTAB with seconds, in UTC (Linux plans have no WEBSITE_TIME_ZONE).
      RefreshPollenSchedule: '0 0 3 * * *'
      RefitChurnModelSchedule: '0 30 3 * * *'
      PlanDaySchedule: '0 0 4 * * *'
      DeliverDueSchedule: '0 */5 * * * *'
      Automation__Storage__Backend: 'cosmos'
      Automation__Cosmos__AccountEndpoint: cosmos.properties.documentEndpoint
      Automation__Cosmos__Database: databaseName
      Automation__Cosmos__AllowBulkExecution: 'true'
      Automation__Cosmos__MessageRetentionDays: string(retentionDays)
      Automation__Cosmos__IngestionRecordRetentionDays: string(retentionDays)
      Automation__Policies__DefaultTimeZone: defaultTimeZone
      Automation__Personalization__TemplatesDirectory: 'templates'
      Automation__Personalization__FromAddress: fromAddress
      // The app answers its own links (PreferenceLink, route api/preferences/{token}) unless they are served elsewhere.
      Automation__Personalization__PublicBaseUrl: empty(publicBaseUrl) ? 'https://func-${resourceToken}.azurewebsites.net/api' : publicBaseUrl
      Automation__Personalization__LinkKeys__0: '@Microsoft.KeyVault(VaultName=${keyVault.name};SecretName=link-key)'
      Automation__SendGrid__ApiKey: '@Microsoft.KeyVault(VaultName=${keyVault.name};SecretName=sendgrid-api-key)'
      Automation__SendGrid__UnsubscribeGroupId: sendGridUnsubscribeGroupId
      Automation__SendGrid__EventWebhook__PublicKey: sendGridWebhookPublicKey
    })
  }

  // App Service Authentication: marketers sign in to the console (api/console) with Microsoft Entra ID
  // before a request reaches the app. Customers (the signed links in their mail), SendGrid (its signed
  // webhook), scripts holding a function key (the report) and Event Grid (the blob trigger's webhook)
  // are let through to the app, which checks their own proof.
  resource authentication 'config' = if (!empty(consoleClientId)) {
    name: 'authsettingsV2'
    properties: {
      platform: { enabled: true }
      globalValidation: {
        requireAuthentication: true
        unauthenticatedClientAction: 'RedirectToLoginPage'
        redirectToProvider: 'azureactivedirectory'
        excludedPaths: ['/api/preferences', '/api/sendgrid/events', '/api/report', '/runtime/webhooks/blobs']
      }
      identityProviders: {
        azureActiveDirectory: {
          enabled: true
          registration: {
            clientId: consoleClientId
            openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
          }
        }
      }
      login: { tokenStore: { enabled: false } }
      httpSettings: { requireHttps: true }
    }
  }
}

// What the app's identity needs, as Microsoft's AzureWebJobsStorage permissions list it for an app with
// a blob trigger: Storage Account Contributor and Storage Blob Data Owner (the host's own state, the
// blob extension's receipts and the exports, reports and deployment package), Storage Queue Data
// Contributor (the work and poison queues), Storage Table Data Contributor (the host's diagnostic
// events); then reading secrets in the vault and publishing telemetry.
var storageRoleIds = [roles.storageAccountContributor, roles.storageBlobDataOwner, roles.storageQueueDataContributor, roles.storageTableDataContributor]
resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in storageRoleIds: {
  scope: storage
  name: guid(storage.id, identity.id, role)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
  }
}]

resource keyVaultRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: keyVault
  name: guid(keyVault.id, identity.id, roles.keyVaultSecretsUser)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

resource telemetryRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: appInsights
  name: guid(appInsights.id, identity.id, roles.monitoringMetricsPublisher)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

// The person deploying uploads exports and sets the SendGrid secret.
resource developerBlobRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(principalId)) {
  scope: storage
  name: guid(storage.id, principalId, roles.storageBlobDataOwner)
  properties: {
    principalId: principalId
    principalType: 'User'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
  }
}

resource developerSecretsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(principalId)) {
  scope: keyVault
  name: guid(keyVault.id, principalId, roles.keyVaultSecretsOfficer)
  properties: {
    principalId: principalId
    principalType: 'User'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
  }
}

// Blob-created events of the storage account; the subscription to the ingest function is added after
// the code is deployed (infra/app/exports-subscription.bicep), when the function's endpoint exists.
resource systemTopic 'Microsoft.EventGrid/systemTopics@2022-06-15' = {
  name: 'evgt-${resourceToken}'
  location: location
  tags: tags
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

output functionAppName string = functionApp.name
output storageAccountName string = storage.name
output systemTopicName string = systemTopic.name
output cosmosEndpoint string = cosmos.properties.documentEndpoint
output keyVaultName string = keyVault.name
output exportsContainer string = exportsContainer
output sendGridWebhookUrl string = 'https://${functionApp.properties.defaultHostName}/api/sendgrid/events'
