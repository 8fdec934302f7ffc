using Microsoft.Extensions.Configuration;

namespace PresenceFunctions.Cli.Settings;

/// <summary>
/// The settings every local command reads, as Core Tools would give them to the function app: quiet
/// framework logs, then local.settings.json, the environment and the caller's overrides, each winning over
/// the one before; storage defaults to Azurite.
/// </summary>
public static class LocalConfiguration
{
    /// <summary>The app's own logs at Information; ASP.NET Core's and the Azure SDK's per-request chatter only when it matters.</summary>
    private static readonly Dictionary<string, string?> QuietFrameworkLogs = new()
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft"] = "Warning",
        // Azure.Core reports every 404 as a warning, and "not found" is an ordinary answer here.
        ["Logging:LogLevel:Azure"] = "Error",
    };

    /// <param name="overrides">Settings that win over local.settings.json and the environment (tests use them).</param>
    public static TBuilder AddLocalConfiguration<TBuilder>(this TBuilder configuration, IReadOnlyDictionary<string, string?>? overrides)
        where TBuilder : IConfigurationBuilder, IConfiguration
    {
        configuration.Sources.Clear();
        configuration
            .AddInMemoryCollection(QuietFrameworkLogs)
            .AddLocalSettings(LocalSettings.Find(Directory.GetCurrentDirectory()))
            .AddEnvironmentVariables()
            .AddInMemoryCollection(overrides ?? new Dictionary<string, string?>());

        // Set only when nothing is: a default below a managed identity's PresenceStorage__tableServiceUri would mix the two.
        if (!PresenceServiceCollectionExtensions.IsSet(configuration.GetSection(PresenceServiceCollectionExtensions.StorageSetting)))
        {
            configuration[PresenceServiceCollectionExtensions.StorageSetting] = "UseDevelopmentStorage=true";
        }

        return configuration;
    }
}
