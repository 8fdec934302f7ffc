using Microsoft.Extensions.Configuration;

namespace PresenceFunctions.Cli.Azurite;

/// <summary>Makes sure the storage a local command uses is there: starts Azurite when the settings point at this machine and nothing listens.</summary>
public static class LocalStorage
{
    /// <returns>The Azurite this call started (stop it when done), or null when none was needed.</returns>
    public static async Task<AzuriteProcess?> EnsureAsync(IConfiguration configuration, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(output);
        var endpoint = DevelopmentStorage.LocalTableEndpoint(configuration[PresenceServiceCollectionExtensions.StorageSetting]);
        if (endpoint is null || await AzuriteProcess.IsListeningAsync("127.0.0.1", endpoint.Port, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var location = Path.Combine(Directory.GetCurrentDirectory(), ".azurite");
        var azurite = await AzuriteProcess.StartAsync(endpoint.Port, location, cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"Started Azurite (Table service) on 127.0.0.1:{endpoint.Port}, data in {location}; it stops with this command.").ConfigureAwait(false);
        return azurite;
    }
}
