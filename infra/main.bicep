// PresenceFunctions in Azure: `azd up` provisions this and deploys src/Functions into it.
targetScope = 'subscription'

@minLength(1)
@maxLength(48)
@description('Name of the azd environment; names and tags every resource.')
param environmentName string

@minLength(1)
@description('Azure region for every resource.')
param location string

@description('Optional: the deployer\'s object id, allowed to add users and tickets to the tables with the presence CLI.')
param principalId string = ''

var tags = {
  'azd-env-name': environmentName
  application: 'presence-functions'
}
var token = toLower(uniqueString(subscription().id, environmentName, location))
var topicName = 'presence-changed'
var subscriptionName = 'rebalance-tickets'
var ticketTopicName = 'ticket-assignments'

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  scope: group
  params: {
    name: 'id-presence-${token}'
    location: location
    tags: tags
  }
}

module monitoring 'modules/monitoring.bicep' = {
  scope: group
  params: {
    logAnalyticsName: 'log-presence-${token}'
    applicationInsightsName: 'appi-presence-${token}'
    location: location
    tags: tags
    publisherPrincipalId: identity.outputs.principalId
  }
}

module storage 'modules/storage.bicep' = {
  scope: group
  params: {
    name: 'stpresence${take(token, 14)}'
    location: location
    tags: tags
    appPrincipalId: identity.outputs.principalId
    operatorPrincipalId: principalId
    deploymentContainerName: 'app-package'
    tableNames: [
      'Presence'
      'Credentials'
      'Tickets'
    ]
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  scope: group
  params: {
    name: 'sb-presence-${token}'
    location: location
    tags: tags
    topicName: topicName
    subscriptionName: subscriptionName
    ticketTopicName: ticketTopicName
    appPrincipalId: identity.outputs.principalId
  }
}

module functionApp 'modules/functionapp.bicep' = {
  scope: group
  params: {
    name: 'func-presence-${token}'
    planName: 'plan-presence-${token}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    storageTableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    serviceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
    topicName: topicName
    subscriptionName: subscriptionName
    ticketTopicName: ticketTopicName
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
  }
}

output AZURE_RESOURCE_GROUP string = group.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output PRESENCE_API_URL string = 'https://${functionApp.outputs.defaultHostName}/api'
output PRESENCE_STORAGE_TABLE_URI string = storage.outputs.tableEndpoint
output SERVICEBUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
