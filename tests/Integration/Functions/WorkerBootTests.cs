using Azure.Data.Tables;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PresenceFunctions.Events;
using PresenceFunctions.Functions.Hosting;
using PresenceFunctions.Health;
using PresenceFunctions.Presence;
using PresenceFunctions.Tests.Integration.Infrastructure;
using PresenceFunctions.Tickets;

namespace PresenceFunctions.Tests.Integration.Functions;

/// <summary>
/// The worker's host as Program.cs builds it, with the container validated: every function class in functions.metadata
/// and everything its constructor needs resolves, so a missing registration fails here and not after a deployment.
/// Both setups are built: the unconfigured one (Azurite, no Service Bus, no Application Insights) and one with Azure's
/// settings (fake, unreachable values), whose registrations are otherwise first built after `azd up`.
/// </summary>
public sealed class WorkerBootTests
{
    private const string TableServiceUri = "https://example.table.core.windows.net/";
    private const string ServiceBusNamespace = "example.servicebus.windows.net";
    private const string ApplicationInsights = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://example.invalid/";
    private const string IdentityClientId = "11111111-1111-1111-1111-111111111111";

    /// <summary>The settings each setup gives the worker; Azure's as infra/modules/functionapp.bicep writes them, with fake values.</summary>
    private static readonly Dictionary<string, string[]> Setups = new()
    {
        ["unconfigured"] = ["--PresenceStorage", "UseDevelopmentStorage=true"],
        ["azure"] =
        [
            "--PresenceStorage:tableServiceUri", TableServiceUri,
            "--PresenceStorage:credential", "managedidentity",
            "--PresenceStorage:clientId", IdentityClientId,
            "--ServiceBusConnection:fullyQualifiedNamespace", ServiceBusNamespace,
            "--ServiceBusConnection:credential", "managedidentity",
            "--ServiceBusConnection:clientId", IdentityClientId,
            "--APPLICATIONINSIGHTS_CONNECTION_STRING", ApplicationInsights,
            "--APPLICATIONINSIGHTS_AUTHENTICATION_STRING", $"ClientId={IdentityClientId};Authorization=AAD",
        ],
        ["connection strings"] =
        [
            "--PresenceStorage", $"DefaultEndpointsProtocol=https;AccountName=example;AccountKey={Convert.ToBase64String(new byte[64])};TableEndpoint={TableServiceUri}",
            "--ServiceBusConnection", $"Endpoint=sb://{ServiceBusNamespace}/;SharedAccessKeyName=k;SharedAccessKey={Convert.ToBase64String(new byte[32])}",
            "--APPLICATIONINSIGHTS_CONNECTION_STRING", ApplicationInsights,
        ],
    };

    [Theory]
    [InlineData("unconfigured")]
    [InlineData("azure")]
    [InlineData("connection strings")]
    public void TheWorkerHostBuildsAsProgramDoesAndResolvesEveryFunctionInTheMetadataWithoutReachingTheNetwork(string setup)
    {
        using var network = new NetworkCalls();
        var builder = Builder(Setups[setup]);

        using var host = builder.Build();

        var listed = FunctionClasses.Listed();
        Assert.Contains(typeof(PresenceFunctions.Functions.Presence.SetUserPresenceStatus), listed);
        Assert.Contains(typeof(PresenceFunctions.Functions.Events.RebalanceTickets), listed);
        FunctionClasses.ResolveAll(host.Services, listed);
        if (setup == "unconfigured")
        {
            Assert.IsType<UnconfiguredEventPublisher>(host.Services.GetRequiredService<IPresenceEventPublisher>());
            Assert.IsType<UnconfiguredTicketEventPublisher>(host.Services.GetRequiredService<ITicketEventPublisher>());
        }
        else
        {
            AssertAzureRegistrations(host.Services, identity: setup == "azure");
        }

        Assert.Empty(network.Calls);
    }

    [Fact]
    public void AFunctionWhoseDependencyIsNotRegisteredFailsTheBootCheckNamingIt()
    {
        var builder = Builder(Setups["azure"]);
        Assert.Contains(builder.Services, d => d.ServiceType == typeof(HealthEndpoint));
        builder.Services.RemoveAll<HealthEndpoint>();

        // The container itself still validates (nothing registered needs the endpoint); only the function does.
        using var host = builder.Build();

        var failure = Assert.Throws<InvalidOperationException>(() => FunctionClasses.ResolveAll(host.Services, FunctionClasses.Listed()));
        Assert.Contains(typeof(HealthEndpoint).FullName!, failure.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(PresenceFunctions.Functions.Http.Health).FullName!, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheNetworkCheckSeesARequestToAHostOtherThanLoopback()
    {
        using var network = new NetworkCalls();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        await Assert.ThrowsAnyAsync<Exception>(() => client.GetAsync(new Uri("https://example.invalid/"), TestContext.Current.CancellationToken));

        Assert.Contains(network.Calls, c => c.Contains("example.invalid", StringComparison.Ordinal));
    }

    /// <summary>What Azure's settings select, resolved as the functions resolve them: Service Bus senders, the managed identity's storage, the exporter.</summary>
    private static void AssertAzureRegistrations(IServiceProvider services, bool identity)
    {
        Assert.IsType<ServiceBusEventPublisher>(services.GetRequiredService<IPresenceEventPublisher>());
        Assert.IsType<ServiceBusTicketEventPublisher>(services.GetRequiredService<ITicketEventPublisher>());
        Assert.Equal(ServiceBusNamespace, services.GetRequiredService<ServiceBusClient>().FullyQualifiedNamespace);
        Assert.Equal(PresenceServiceCollectionExtensions.DefaultTopic, services.GetRequiredService<ServiceBusSender>().EntityPath);
        Assert.Equal(PresenceServiceCollectionExtensions.DefaultTicketTopic, services.GetRequiredKeyedService<ServiceBusSender>(ServiceBusTicketEventPublisher.SenderKey).EntityPath);
        Assert.Equal(new Uri(TableServiceUri), services.GetRequiredService<TableServiceClient>().Uri);

        // The exporter's options, not the tracer, meter and logger providers: building those starts Live Metrics and
        // process-wide listeners that would export other tests' spans to the fake endpoint when the host is disposed.
        var exporter = services.GetRequiredService<IOptionsMonitor<AzureMonitorExporterOptions>>().CurrentValue;
        Assert.Equal(ApplicationInsights, exporter.ConnectionString);
        Assert.Equal(identity, exporter.Credential is ManagedIdentityCredential);
    }

    /// <summary>Program.cs's builder, with a placeholder host endpoint (nothing connects: the host is never started) and a validating container.</summary>
    private static FunctionsApplicationBuilder Builder(string[] settings)
    {
        var builder = PresenceFunctionsApp.CreateBuilder(["--Functions:Worker:HostEndpoint", "http://127.0.0.1:9/", .. settings]);
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        return builder;
    }
}
