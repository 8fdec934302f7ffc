using System.Reflection;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PresenceFunctions.Auth;
using PresenceFunctions.Tests.Integration.Infrastructure;

namespace PresenceFunctions.Tests.Integration.FunctionsHost;

/// <summary>
/// The built worker under the host emulator, once per test class, on the assembly's Azurite with tables of its own
/// and an Administrator to sign in as. No Service Bus is configured: events stay in the outbox.
/// </summary>
public sealed class FunctionsHostFixture(AzuriteFixture azurite) : IAsyncLifetime
{
    public const string User = "host-emulator";
    public const int AssociateId = 1;

    private readonly string password = Guid.NewGuid().ToString("N");
    private readonly Dictionary<string, string?> settings = new()
    {
        ["PresenceStorage"] = azurite.ConnectionString,
        ["Tables:Presence"] = "p" + Guid.NewGuid().ToString("N"),
        ["Tables:Credentials"] = "c" + Guid.NewGuid().ToString("N"),
        ["Tables:Tickets"] = "t" + Guid.NewGuid().ToString("N"),
        ["Outbox:GraceSeconds"] = "0",
        ["ServiceBusConnection"] = string.Empty,
        ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = string.Empty,
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = string.Empty,
        ["Logging:LogLevel:Default"] = "Warning",
    };

    private FunctionsHostEmulator? host;

    internal FunctionsHostEmulator Host => host ?? throw new InvalidOperationException("The host emulator has not started.");

    public TableClient PresenceTable => azurite.Table(settings["Tables:Presence"]!);

    public System.Net.Http.Headers.AuthenticationHeaderValue Authorization => TestApi.Basic(User, password);

    /// <summary>The directory the Functions build wrote the app to (what the host would run).</summary>
    public static string AppDirectory => Path.GetFullPath(typeof(FunctionsHostFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "FunctionsOutput").Value!);

    public async ValueTask InitializeAsync()
    {
        await AddAdministratorAsync();

        // App settings reach the worker as environment variables, as in Azure ("__" for ":").
        var environment = settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        host = await FunctionsHostEmulator.StartAsync(AppDirectory, environment, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (host is not null)
        {
            await host.DisposeAsync();
        }
    }

    /// <summary>Writes the user through Core's own credential store, on the tables the worker reads.</summary>
    private async Task AddAdministratorAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        await using var services = new ServiceCollection().AddLogging().AddPresenceCore(configuration).BuildServiceProvider();
        await services.GetRequiredService<CredentialStore>().AddOrUpdateUserAsync(User, password, AssociateId, isAdministrator: true, CancellationToken.None);
    }
}
