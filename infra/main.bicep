// Automation on Azure: everything `azd up` creates, from an empty subscription (docs/deploy.md).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; names and tags of every resource derive from it.')
param environmentName string

@minLength(1)
@description('Region of every resource; it must offer the Flex Consumption plan.')
param location string

@description('Cosmos DB capacity: serverless (pay per request, for up to a few million customers) or autoscale (provisioned, for steady large volumes).')
@allowed(['serverless', 'autoscale'])
param cosmosCapacity string = 'serverless'

@description('Autoscale maximum RU/s of the database when cosmosCapacity is autoscale (a multiple of 1,000).')
@minValue(1000)
param cosmosAutoscaleMaxThroughput int = 4000

@description('The business time zone (IANA): the day a plan plans, and the zone of customers who have none.')
param defaultTimeZone string = 'UTC'

@description('Sender address of every message.')
param fromAddress string

@description('Where the links in mail (preference page, one-click unsubscribe) are answered. Empty: the function app itself, https://<app>.azurewebsites.net/api.')
param publicBaseUrl string = ''

@secure()
@description('The key that signs the links in mail (base64, 32 bytes or more). Empty: set the Key Vault secret link-key before the first send (docs/deploy.md).')
param linkKey string = ''

@description('The SendGrid unsubscribe group (ASM) every message belongs to.')
param sendGridUnsubscribeGroupId string = ''

@secure()
@description('SendGrid API key (Mail Send only). Empty: set the Key Vault secret sendgrid-api-key later (docs/deploy.md); until then delivery has no key.')
param sendGridApiKey string = ''

@description('Verification key SendGrid shows for the signed event webhook (base64). Empty until the webhook is set up.')
param sendGridWebhookPublicKey string = ''

@description('Client id of the Microsoft Entra ID app registration marketers sign in to the console with (ID tokens enabled, redirect URI https://<app>.azurewebsites.net/.auth/login/aad/callback). Empty: App Service Authentication stays off and the console admits nobody.')
param consoleClientId string = ''

@description('Object id of the person running azd: given data access to storage, Cosmos DB and Key Vault so that they can upload exports and set secrets. Empty in pipelines.')
param principalId string = ''

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module resources 'resources.bicep' = {
  name: 'automation-resources'
  scope: rg
  params: {
    location: location
    tags: tags
    resourceToken: resourceToken
    cosmosCapacity: cosmosCapacity
    cosmosAutoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    defaultTimeZone: defaultTimeZone
    fromAddress: fromAddress
    publicBaseUrl: publicBaseUrl
    linkKey: linkKey
    sendGridUnsubscribeGroupId: sendGridUnsubscribeGroupId
    sendGridApiKey: sendGridApiKey
    sendGridWebhookPublicKey: sendGridWebhookPublicKey
    principalId: principalId
    consoleClientId: consoleClientId
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = resources.outputs.functionAppName
output AZURE_STORAGE_ACCOUNT_NAME string = resources.outputs.storageAccountName
output AZURE_EVENTGRID_SYSTEM_TOPIC_NAME string = resources.outputs.systemTopicName
output AZURE_COSMOS_ENDPOINT string = resources.outputs.cosmosEndpoint
output AZURE_KEY_VAULT_NAME string = resources.outputs.keyVaultName
output EXPORTS_CONTAINER string = resources.outputs.exportsContainer
output SENDGRID_WEBHOOK_URL string = resources.outputs.sendGridWebhookUrl
