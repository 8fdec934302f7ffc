using Microsoft.Extensions.Diagnostics.HealthChecks;
using PresenceFunctions.Storage;

namespace PresenceFunctions.Health;

/// <summary>Storage is reachable when a point read on the Presence table answers (found or not).</summary>
public sealed class StorageHealthCheck(StorageTables tables) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var table = await tables.PresenceAsync(cancellationToken).ConfigureAwait(false);
            await table.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("health", "health", cancellationToken: cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (StorageFailures.IsUnavailable(e) || e is Azure.RequestFailedException)
        {
            return HealthCheckResult.Unhealthy("unreachable");
        }
    }
}
