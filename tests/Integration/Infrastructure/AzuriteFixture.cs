using Azure.Data.Tables;
using PresenceFunctions.Cli.Azurite;
using PresenceFunctions.Tests.Integration.Infrastructure;

[assembly: AssemblyFixture(typeof(AzuriteFixture))]

namespace PresenceFunctions.Tests.Integration.Infrastructure;

/// <summary>One real Azurite (Table service, in memory, on a free port) for the whole test assembly. Tests isolate by table name.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? azurite;

    public string ConnectionString => Azurite.ConnectionString;

    public int TablePort => Azurite.TablePort;

    private AzuriteProcess Azurite => azurite ?? throw new InvalidOperationException("Azurite has not started.");

    public TableClient Table(string name) => new TableServiceClient(ConnectionString).GetTableClient(name);

    public async ValueTask InitializeAsync()
    {
        // A free port can be taken between asking and binding; one more try covers that race.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                azurite = await AzuriteProcess.StartAsync(AzuriteProcess.FreePort(), location: null, CancellationToken.None);
                return;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }
    }
}
