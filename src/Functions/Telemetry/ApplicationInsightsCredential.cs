using Azure.Core;
using Azure.Identity;

namespace PresenceFunctions.Functions.Telemetry;

/// <summary>
/// The credential Application Insights ingestion needs when its local auth is off, read from the setting the
/// Functions host reads for its own telemetry, so host and worker send as the same managed identity.
/// </summary>
public static class ApplicationInsightsCredential
{
    public const string Setting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <param name="authentication"><c>Authorization=AAD</c>, with <c>ClientId=…</c> for a user-assigned identity.</param>
    /// <returns>Null when the setting is absent: the connection string alone is used (local auth on).</returns>
    /// <exception cref="InvalidOperationException">The setting is present but does not ask for Entra ID.</exception>
    public static TokenCredential? From(string? authentication)
    {
        if (string.IsNullOrWhiteSpace(authentication))
        {
            return null;
        }

        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in authentication.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (pair.Length != 2 || !parts.TryAdd(pair[0], pair[1]))
            {
                throw Invalid();
            }
        }

        if (!parts.TryGetValue("Authorization", out var authorization) || !authorization.Equals("AAD", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid();
        }

        return parts.TryGetValue("ClientId", out var clientId) && clientId.Length > 0
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }

    // Telemetry that silently goes nowhere is found only when it is needed; refuse to start instead.
    private static InvalidOperationException Invalid() =>
        new($"{Setting} must be 'Authorization=AAD' or 'ClientId=<managed identity client id>;Authorization=AAD'.");
}
