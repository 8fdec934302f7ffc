using System.Text.Json.Nodes;

namespace PresenceFunctions.Tests.Infra;

/// <summary>infra/ compiles and lints cleanly offline, and the template it makes is least-privilege and secret-free.</summary>
public sealed class BicepTests
{
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string ServiceBusDataSender = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39";
    private const string ServiceBusDataReceiver = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0";
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";

    public static TheoryData<string> BicepFiles =>
        [.. Directory.GetFiles(Bicep.InfraDirectory, "*.bicep", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Bicep.InfraDirectory, f))];

    /// <summary>The app identity's assignments; the optional operator grant is conditional.</summary>
    private static List<(string Role, string Scope)> RoleAssignments() =>
        [.. Bicep.RoleAssignments().Where(a => !a.Conditional).Select(a => (a.Role, a.Scope))];

    private static JsonObject Single(string type) => Assert.Single(Bicep.OfType(type));

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public void EveryBicepFileBuildsAndLintsWithoutErrorsOrWarnings(string file)
    {
        var path = Path.Combine(Bicep.InfraDirectory, file);
        var build = Bicep.Run("build", path, "--stdout");
        var lint = Bicep.Run("lint", path);

        Assert.True(build.ExitCode == 0, build.Output);
        Assert.True(lint.ExitCode == 0, lint.Output);
        Assert.DoesNotContain("Warning", lint.Output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Error", lint.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(StorageTableDataContributor)]
    [InlineData(StorageBlobDataOwner)]
    [InlineData(StorageQueueDataContributor)]
    public void TheAppGetsItsStorageRolesOnTheStorageAccount(string role)
    {
        var assignment = Assert.Single(RoleAssignments(), a => a.Role == role);
        Assert.StartsWith("[resourceId('Microsoft.Storage/storageAccounts',", assignment.Scope, StringComparison.Ordinal);
    }

    [Fact]
    public void TheAppMaySendOnlyToThePresenceAndTicketTopics()
    {
        var senders = RoleAssignments().Where(a => a.Role == ServiceBusDataSender).Select(a => a.Scope).ToList();
        Assert.Equal(2, senders.Count);
        Assert.All(senders, scope => Assert.StartsWith("[resourceId('Microsoft.ServiceBus/namespaces/topics',", scope, StringComparison.Ordinal));
        Assert.Single(senders, scope => scope.Contains("parameters('topicName')", StringComparison.Ordinal));
        Assert.Single(senders, scope => scope.Contains("parameters('ticketTopicName')", StringComparison.Ordinal));
    }

    [Fact]
    public void TheAppMayReceiveOnlyFromTheSubscription()
    {
        var receiver = Assert.Single(RoleAssignments(), a => a.Role == ServiceBusDataReceiver);
        Assert.StartsWith("[resourceId('Microsoft.ServiceBus/namespaces/topics/subscriptions',", receiver.Scope, StringComparison.Ordinal);
    }

    [Fact]
    public void TheAppMayPublishTelemetryToApplicationInsightsOnly()
    {
        var publisher = Assert.Single(RoleAssignments(), a => a.Role == MonitoringMetricsPublisher);
        Assert.StartsWith("[resourceId('Microsoft.Insights/components',", publisher.Scope, StringComparison.Ordinal);
    }

    [Fact]
    public void NoBroadRoleIsAssigned()
    {
        Assert.Equal(
            new[] { StorageTableDataContributor, StorageBlobDataOwner, StorageQueueDataContributor, ServiceBusDataSender, ServiceBusDataSender, ServiceBusDataReceiver, MonitoringMetricsPublisher }.Order(),
            RoleAssignments().Select(a => a.Role).Order());

        // The deployer may be granted table access, to add the first administrator; nothing else.
        Assert.All(Bicep.RoleAssignments().Where(a => a.Conditional), a => Assert.Equal(StorageTableDataContributor, a.Role));
    }

    [Fact]
    public void BothTopicsDetectDuplicatesForTenMinutes()
    {
        var topics = Bicep.OfType("Microsoft.ServiceBus/namespaces/topics").ToList();
        Assert.Equal(2, topics.Count);
        Assert.Single(topics, t => ((string)t["name"]!).Contains("parameters('topicName')", StringComparison.Ordinal));
        Assert.Single(topics, t => ((string)t["name"]!).Contains("parameters('ticketTopicName')", StringComparison.Ordinal));
        Assert.All(topics, t =>
        {
            Assert.True((bool)t["properties"]!["requiresDuplicateDetection"]!);
            Assert.Equal("PT10M", (string?)t["properties"]!["duplicateDetectionHistoryTimeWindow"]);
        });
    }

    [Fact]
    public void TheAppSettingsNameBothTopicsAsDeployed()
    {
        var module = Assert.Single(Bicep.ModuleTemplates(), t => t["variables"]?["appSettings"] is JsonObject);
        var settings = module["variables"]!["appSettings"]!.AsObject();
        Assert.Equal("[parameters('topicName')]", (string?)settings["PresenceTopic"]);
        Assert.Equal("[parameters('ticketTopicName')]", (string?)settings["TicketTopic"]);

        var main = Bicep.Template["variables"]!;
        Assert.Equal("presence-changed", (string?)main["topicName"]);
        Assert.Equal("ticket-assignments", (string?)main["ticketTopicName"]);
    }

    [Fact]
    public void TheSubscriptionDeadLettersAfterTenDeliveriesAndOnExpiry()
    {
        var subscription = Single("Microsoft.ServiceBus/namespaces/topics/subscriptions")["properties"]!;
        Assert.Equal(10, (int)subscription["maxDeliveryCount"]!);
        Assert.True((bool)subscription["deadLetteringOnMessageExpiration"]!);
    }

    [Fact]
    public void StorageRefusesSharedKeysAndOldTls()
    {
        var account = Single("Microsoft.Storage/storageAccounts")["properties"]!;
        Assert.False((bool)account["allowSharedKeyAccess"]!);
        Assert.Equal("TLS1_2", (string?)account["minimumTlsVersion"]);
        Assert.True((bool)account["supportsHttpsTrafficOnly"]!);
        Assert.False((bool)account["allowBlobPublicAccess"]!);
    }

    [Fact]
    public void EveryServiceHasLocalAuthOff()
    {
        Assert.True((bool)Single("Microsoft.ServiceBus/namespaces")["properties"]!["disableLocalAuth"]!);
        Assert.True((bool)Single("Microsoft.Insights/components")["properties"]!["DisableLocalAuth"]!);
        Assert.True((bool)Single("Microsoft.OperationalInsights/workspaces")["properties"]!["features"]!["disableLocalAuth"]!);
    }

    [Fact]
    public void TheFunctionAppIsFlexConsumptionOnDotnetIsolated10WithItsOwnIdentity()
    {
        Assert.Equal("FC1", (string?)Single("Microsoft.Web/serverfarms")["sku"]!["name"]);
        var site = Single("Microsoft.Web/sites");
        Assert.Equal("UserAssigned", (string?)site["identity"]!["type"]);
        var runtime = site["properties"]!["functionAppConfig"]!["runtime"]!;
        Assert.Equal("dotnet-isolated", (string?)runtime["name"]);
        Assert.Equal("10.0", (string?)runtime["version"]);
        Assert.Equal("UserAssignedIdentity", (string?)site["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!["authentication"]!["type"]);
    }

    [Fact]
    public void NoAppSettingHoldsAConnectionStringKeyOrPassword()
    {
        var module = Assert.Single(Bicep.ModuleTemplates(), t => t["variables"]?["appSettings"] is JsonObject);
        var settings = module["variables"]!["appSettings"]!.AsObject();

        foreach (var (name, value) in settings)
        {
            var text = value!.ToJsonString();
            Assert.DoesNotContain("AccountKey", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("SharedAccessKey", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Password", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("listKeys", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("DefaultEndpointsProtocol", text, StringComparison.OrdinalIgnoreCase);

            // The one exception, Application Insights' connection string, is an identifier: with local auth off
            // (asserted above) ingestion needs the identity's token, which APPLICATIONINSIGHTS_AUTHENTICATION_STRING
            // names for the Functions host and the app's OpenTelemetry exporter alike.
            if (name != "APPLICATIONINSIGHTS_CONNECTION_STRING")
            {
                Assert.DoesNotContain("ConnectionString", name, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotMatch("^(PresenceStorage|ServiceBusConnection|AzureWebJobsStorage)$", name);
            }
        }

        foreach (var connection in new[] { "AzureWebJobsStorage", "PresenceStorage", "ServiceBusConnection" })
        {
            Assert.Equal("managedidentity", (string?)settings[connection + "__credential"]);
            Assert.NotNull(settings[connection + "__clientId"]);
        }

        Assert.NotNull(settings["PresenceStorage__tableServiceUri"]);
        Assert.NotNull(settings["ServiceBusConnection__fullyQualifiedNamespace"]);
        var telemetryAuth = (string)settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]!;
        Assert.Contains("Authorization=AAD", telemetryAuth, StringComparison.Ordinal);
        Assert.Contains("ClientId=", telemetryAuth, StringComparison.Ordinal);
        Assert.Contains("parameters('identityClientId')", telemetryAuth, StringComparison.Ordinal);
    }

    [Fact]
    public void NothingInTheTemplateReadsKeysOrConnectionStrings()
    {
        var template = Bicep.Template.ToJsonString();
        Assert.DoesNotContain("listKeys(", template, StringComparison.Ordinal);
        Assert.DoesNotContain("listConnectionStrings(", template, StringComparison.Ordinal);
        Assert.DoesNotContain("listAccountSas(", template, StringComparison.Ordinal);
    }
}
